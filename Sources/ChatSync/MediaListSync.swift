import ChatAPI
import ChatCache
import Foundation

/// Keeps a chat's `media/` listing in step with the server: two requests (chat files and
/// screenshots), only for chats in use, and only when something may have changed: never
/// listed, new messages since (attachments come with a message), or listed long ago.
struct MediaListSync: Sendable {
    let service: any ChatService
    let cache: ChatCache
    let publish: @Sendable (ChangeEvent) -> Void

    /// A listing older than this is fetched again when the chat is in use.
    static let refreshAfter: TimeInterval = 600

    func isDue(_ chat: ChatRecord, now: Date = Date()) throws -> Bool {
        let listing = try cache.mediaListing(chatRowID: chat.rowID)
        guard let listedAt = listing.listedAt else { return true }
        return chat.serverLastSequence > listing.sequence || now.timeIntervalSince(listedAt) > Self.refreshAfter
    }

    func refresh(_ chat: ChatRecord, now: Date = Date()) throws {
        let files = try service.chatFiles(chatID: chat.id)
        let screenshots = try service.screenshots(chatID: chat.id)
        let items = files.compactMap { IncomingMedia(MediaInfo($0), fallbackDate: chat.createdAt) }
            + screenshots.compactMap { IncomingMedia(MediaInfo($0), fallbackDate: chat.createdAt) }
        let changes = try cache.applyMediaList(chatID: chat.id, items)
        try cache.markMediaListed(chatRowID: chat.rowID, at: now, sequence: chat.serverLastSequence)
        if !changes.isEmpty {
            publish(.mediaChanged(chatRowID: chat.rowID, names: changes.names))
            publish(.statusChanged)
        }
    }
}

extension IncomingMedia {
    /// nil for an entry without a name. An entry without an upload status is taken as
    /// completed (the download is still checked against its size and sha256).
    init?(_ info: MediaInfo, fallbackDate: Date) {
        guard let name = info.fileName, !name.isEmpty else { return nil }
        self.init(
            kind: info.kind == .screenshot ? .screenshot : .file, serverID: info.id, originalName: name,
            size: info.fileSize.map { max(0, $0) }, mimeType: info.mimeType, createdAt: info.createdAt ?? fallbackDate,
            uploadStatus: info.uploadStatus ?? "completed", corrupted: info.isCorrupted ?? false)
    }
}
