import ChatAPI
import ChatCache
import Foundation
import Locking

/// How far a prefetch got (for a progress bar).
public struct PrefetchProgress: Sendable, Equatable {
    public var chatsDone = 0
    public var chatsTotal = 0
    /// Messages stored so far, and what the chosen chats hold on the server (an upper bound).
    public var messages = 0
    public var expectedMessages = 0
    /// Bytes the cache grew by (messages' stored size + downloaded attachments).
    public var bytes: Int64 = 0
    public var mediaFiles = 0
    public var currentChat: String?
    /// Chats (or attachments) that failed, with the reason; the others go on.
    public var failures: [String] = []
}

public enum PrefetchOutcome: Sendable, Equatable {
    case completed
    /// `shouldStop` said so (Ctrl-C); the page in progress was finished and stored.
    case interrupted
    /// Usage reached the quota's high mark: prefetching more would only evict it again.
    case quotaReached(usedBytes: Int64, quotaBytes: Int64)
}

/// `chatfs prefetch`: downloads chats on purpose, through the same per-chat sync as a visit
/// (the newest page, then older history to the beginning) and, with `media`, the same
/// fetcher as an open. It never evicts: it stops before the quota's high mark instead (and
/// a chat's older history stops at the low mark, see `ChatCache.hasRoomForHistory`).
public struct Prefetcher: Sendable {
    /// The longest one attachment may take (a download goes on while data flows).
    public static let mediaTimeout: Duration = .seconds(600)

    let engine: SyncEngine

    public init(engine: SyncEngine) {
        self.engine = engine
    }

    public func run(_ chats: [ChatRecord], media: Bool, shouldStop: @Sendable () -> Bool,
                    progress report: (PrefetchProgress) -> Void) throws -> PrefetchOutcome {
        let cache = engine.cache
        let startUsage = try cache.usage().total
        let stored = Locked(0)
        let history = engine.history { [engine] event in
            if case .messagesAdded(_, let names, _) = event { stored.withLock { $0 += names.count } }
            engine.publish(event)
        }
        var progress = PrefetchProgress(chatsTotal: chats.count, expectedMessages: chats.reduce(0) { $0 + $1.serverLastSequence })

        var lastPageBytes: Int64 = 0
        /// nil while there is room for `bytes` more; the outcome that stops the run otherwise.
        func checkpoint(adding bytes: Int64 = 0) throws -> PrefetchOutcome? {
            let used = try cache.usage().total
            lastPageBytes = max(0, used - startUsage - progress.bytes)
            progress.bytes = used - startUsage
            progress.messages = stored.withLock { $0 }
            report(progress)
            if shouldStop() { return .interrupted }
            let quota = try cache.quotaBytes()
            if Double(used + bytes) > Double(quota) * CacheQuota.highMark { return .quotaReached(usedBytes: used, quotaBytes: quota) }
            return nil
        }

        for chat in chats {
            progress.currentChat = chat.dirName
            if let outcome = try checkpoint(adding: lastPageBytes) { return outcome }
            do {
                guard let current = try cache.chat(rowID: chat.rowID) else { continue }
                try history.refresh(current)
                // Room for one more page like the last one before each, so the quota is never passed.
                var stopped: PrefetchOutcome?
                try history.backfill(current) {
                    stopped = try checkpoint(adding: lastPageBytes)
                    return stopped == nil
                }
                if let stopped { return stopped }
                // Backfill stops at the quota's low mark: the rest of this chat does not fit.
                if try !cache.syncState(chatRowID: current.rowID).backfillDone {
                    return try checkpoint() ?? .quotaReached(usedBytes: try cache.usage().total, quotaBytes: try cache.quotaBytes())
                }
                if media {
                    try engine.mediaList().refresh(current)
                    for record in try cache.media(chatID: current.id) where !record.isCached {
                        if let outcome = try checkpoint(adding: Int64(record.size)) { return outcome }
                        do {
                            _ = try engine.mediaFetcher.fetch(rowID: record.rowID, timeout: Self.mediaTimeout)
                            progress.mediaFiles += 1
                        } catch {
                            progress.failures.append("\(current.dirName)/media/\(record.name): \(error)")
                        }
                    }
                }
            } catch let error as APIError where error.isOffline {
                throw error
            } catch {
                progress.failures.append("\(chat.dirName): \(error)")
            }
            progress.chatsDone += 1
        }
        progress.currentChat = nil
        return try checkpoint() ?? .completed
    }
}
