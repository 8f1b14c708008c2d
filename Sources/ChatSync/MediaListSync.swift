import ChatAPI
import ChatCache
import Foundation
import Logging

/// Keeps a chat's `media/` listing in step with the server: two requests (chat files and
/// screenshots), only for chats in use, and only when something may have changed: never
/// listed, new messages since (attachments come with a message), or listed long ago.
///
/// The deployed backend serves a pending upload's bytes (200), and without its upload
/// worker an upload stays pending forever: there they are listed, and a blob cached while
/// pending (no hash yet) is checked against the server's sha256 once the upload completes.
struct MediaListSync: Sendable {
    let service: any ChatService
    let cache: ChatCache
    /// The server serves pending uploads (the legacy generation; the delta server answers 202).
    let pendingUploadsServed: Bool
    let logger: Logger
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
        var changes = try cache.applyMediaList(chatID: chat.id, items, pendingUploadsServed: pendingUploadsServed)
        changes.names += try verifyCompletedUploads(chatID: chat.id)
        try cache.markMediaListed(chatRowID: chat.rowID, at: now, sequence: chat.serverLastSequence)
        if !changes.isEmpty {
            publish(.mediaChanged(chatRowID: chat.rowID, names: changes.names))
            publish(.statusChanged)
        }
    }

    /// Checks blobs cached while their upload was pending against the hash the server now
    /// has: a match marks them verified, a mismatch drops them (the next open downloads the
    /// finished upload). Returns the names whose blob was dropped.
    private func verifyCompletedUploads(chatID: String) throws -> [String] {
        var dropped: [String] = []
        for media in try cache.unverifiedBlobs(chatID: chatID) {
            let kind: MediaKind = media.kind == AttachmentKind.screenshot.rawValue ? .screenshot : .chatFile
            guard let hash = try service.mediaInfo(kind, id: media.serverID).fileHash?.lowercased(),
                  MediaFetcher.isSHA256Hex(hash), let cached = media.sha256 else { continue }
            if hash == cached {
                try cache.markBlobVerified(mediaRowID: media.rowID, sha256: cached)
            } else {
                logger.warning("an attachment cached while its upload was pending differs from the finished upload: \(media.name)")
                try cache.dropBlob(mediaRowID: media.rowID)
                dropped.append(media.name)
            }
        }
        return dropped
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
