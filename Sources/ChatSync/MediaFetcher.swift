import ChatAPI
import ChatCache
import Checksum
import Dispatch
import Foundation
import Logging
import Locking

/// Brings attachments into the cache on demand: one download per attachment however many
/// opens wait for it, to a temporary file that is renamed into place only once its size
/// and (when the server gives one) its sha256 match. A cached attachment is served without
/// any network.
final class MediaFetcher: Sendable {
    /// The largest attachment downloaded (uploads are limited to 50 MB).
    static let maxBytes = 100 << 20
    /// Between two asks while the server answers 202 (upload pending).
    static let pendingRetryInterval = 1.0

    let service: any ChatService
    let cache: ChatCache
    let logger: Logger
    let tracker: AccessTracker
    let openFiles: OpenMediaFiles
    let changes: ChangeFeed
    /// Run after a download is stored (the quota is enforced when data is added).
    let dataAdded: @Sendable () -> Void

    /// A download in progress; every open of that attachment waits on it.
    private final class Download: Sendable {
        let done = DispatchGroup()
        let result = Locked<Result<String, MediaError>?>(nil)
    }

    private let downloads = Locked<[Int64: Download]>([:])
    private let queue = DispatchQueue(label: "chatfs.media.download", attributes: .concurrent)

    init(service: any ChatService, cache: ChatCache, logger: Logger, tracker: AccessTracker, openFiles: OpenMediaFiles,
         changes: ChangeFeed, dataAdded: @escaping @Sendable () -> Void) {
        self.service = service
        self.cache = cache
        self.logger = logger
        self.tracker = tracker
        self.openFiles = openFiles
        self.changes = changes
        self.dataAdded = dataAdded
    }

    /// An open from the tree: the blob's path once cached (counted as a hit or a miss). The
    /// attachment counts as open (never evicted) until `close`, unless this throws.
    func open(rowID: Int64, timeout: Duration) throws(MediaError) -> String {
        openFiles.open(rowID)
        do {
            let (path, downloaded) = try fetch(rowID: rowID, timeout: timeout)
            tracker.count(downloaded ? .mediaMisses : .mediaHits)
            if !downloaded { tracker.mediaAccessed(rowID) }
            return path
        } catch {
            openFiles.close(rowID)
            if case .unknown = error {} else { tracker.count(.mediaMisses) }
            throw error
        }
    }

    func close(rowID: Int64) {
        openFiles.close(rowID)
    }

    /// The blob's path, downloading it first when it is not cached (`downloaded` then).
    func fetch(rowID: Int64, timeout: Duration) throws(MediaError) -> (path: String, downloaded: Bool) {
        let path: String?
        do {
            guard try cache.media(rowID: rowID) != nil else { throw MediaError.unknown(rowID: rowID) }
            path = try cache.cachedBlobPath(mediaRowID: rowID)
        } catch let error as MediaError {
            throw error
        } catch {
            throw .local(name: "attachment \(rowID)", reason: "\(error)")
        }
        if let path { return (path, false) }
        let (download, isNew) = downloads.withLock { downloads -> (Download, Bool) in
            if let running = downloads[rowID] { return (running, false) }
            let download = Download()
            download.done.enter()
            downloads[rowID] = download
            return (download, true)
        }
        if isNew {
            let deadline = Date().addingTimeInterval(timeout.seconds)
            queue.async { [self] in
                let result = Result { () throws(MediaError) -> String in try downloadAndStore(rowID: rowID, deadline: deadline) }
                download.result.withLock { $0 = result }
                downloads.withLock { _ = $0.removeValue(forKey: rowID) }
                download.done.leave()
            }
        }
        guard download.done.wait(timeout: .now() + timeout.seconds) == .success else {
            let name = (try? cache.media(rowID: rowID))?.name ?? "attachment \(rowID)"
            throw .timedOut(name: name, seconds: timeout.seconds)
        }
        return (try download.result.withLock { $0! }.get(), true)
    }

    /// Downloads, verifies and stores one attachment; on any failure nothing is kept and
    /// the reason is logged and shown in the status.
    private func downloadAndStore(rowID: Int64, deadline: Date) throws(MediaError) -> String {
        guard let record = try? cache.media(rowID: rowID) else { throw .unknown(rowID: rowID) }
        let chat = try? cache.chat(id: record.chatID)
        let label = "\(chat?.dirName ?? record.chatID)/media/\(record.name)"
        do {
            let start = Date()
            let (path, bytes) = try download(record, label: label, deadline: deadline)
            logger.info("downloaded \(label): \(bytes) bytes in \(Int(Date().timeIntervalSince(start) * 1000)) ms")
            if bytes != record.size, let chat { changes.publish(.mediaChanged(chatRowID: chat.rowID, names: [record.name])) }
            changes.publish(.statusChanged)
            dataAdded()
            return path
        } catch {
            logger.warning("cannot open an attachment: \(error)")
            try? cache.setMeta(.lastMediaError, "\(MessageFormat.dateString(Date())) \(error)")
            changes.publish(.statusChanged)
            throw error
        }
    }

    private func download(_ record: MediaRecord, label: String, deadline: Date) throws(MediaError) -> (String, Int) {
        let kind: MediaKind = record.kind == AttachmentKind.screenshot.rawValue ? .screenshot : .chatFile
        let info: MediaInfo
        do { info = try service.mediaInfo(kind, id: record.serverID) } catch { throw Self.mediaError(error, label) }
        if info.isCorrupted == true || info.uploadStatus == "failed" {
            throw .unavailable(name: label, reason: "the upload is \(info.isCorrupted == true ? "corrupted" : "failed")")
        }
        let expectedSize = info.fileSize ?? (record.size > 0 ? record.size : nil)
        if let expectedSize, expectedSize > Self.maxBytes { throw .tooLarge(name: label, size: expectedSize, limit: Self.maxBytes) }
        let expectedHash = info.fileHash?.lowercased()
        if let expectedHash, !Self.isSHA256Hex(expectedHash) {
            throw .transfer(name: label, reason: "the server's fileHash is not a sha256")
        }

        let temporary: String
        do { temporary = try cache.temporaryBlobPath(mediaRowID: record.rowID) } catch {
            throw .local(name: label, reason: "\(error)")
        }
        var stored = false
        defer { if !stored { unlink(temporary) } }
        // One byte more than announced: a longer body fails the transfer instead of being cut.
        let limit = expectedSize.map { $0 + 1 } ?? Self.maxBytes
        var bytes = 0
        while true {
            do {
                bytes = try service.download(kind, id: record.serverID, to: temporary, maxBytes: limit)
                break
            } catch APIError.retryable(status: 202, _) {
                guard Date().addingTimeInterval(Self.pendingRetryInterval) < deadline else { throw .stillPending(name: label) }
                Thread.sleep(forTimeInterval: Self.pendingRetryInterval)
            } catch {
                throw Self.mediaError(error, label)
            }
        }
        if let expectedSize, bytes != expectedSize { throw .sizeMismatch(name: label, expected: expectedSize, received: bytes) }
        let digest: String
        do { digest = try SHA256Digest.hex(ofFileAt: temporary) } catch { throw .local(name: label, reason: "\(error)") }
        if let expectedHash, digest != expectedHash { throw .hashMismatch(name: label, expected: expectedHash, received: digest) }
        do {
            let path = try cache.storeBlob(mediaRowID: record.rowID, from: temporary, bytes: bytes, sha256: digest,
                                           verified: expectedHash != nil)
            stored = true
            return (path, bytes)
        } catch {
            throw .local(name: label, reason: "\(error)")
        }
    }

    /// Whether the server's `fileHash` is a SHA-256 in hex at all.
    static func isSHA256Hex(_ text: String) -> Bool {
        text.utf8.count == 64 && text.allSatisfy(\.isHexDigit)
    }

    static func mediaError(_ error: any Error, _ label: String) -> MediaError {
        switch error as? APIError {
        case .permanent(status: 404, _): .notOnServer(name: label)
        case .permanent(status: 410, let detail): .unavailable(name: label, reason: detail)
        case .retryable(status: 202, _): .stillPending(name: label)
        default: .transfer(name: label, reason: "\(error)")
        }
    }
}
