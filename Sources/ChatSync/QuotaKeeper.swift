import ChatCache
import Foundation
import Logging
import Locking

/// Holds the cache to its quota: after data is added (a stored page, a download) it runs
/// an eviction pass when usage is above the high mark, and announces what went. Being
/// stuck above the quota is logged once when it starts and once when it ends: the passes
/// run after every stored page, many times a second while a visited chat fills in.
final class QuotaKeeper: Sendable {
    /// A chat used within this window is in use right now: its messages are not evicted
    /// (evicting them would only make the next poll fetch them again).
    static let inUseWindow: TimeInterval = 60

    let cache: ChatCache
    let tracker: AccessTracker
    let openFiles: OpenMediaFiles
    let changes: ChangeFeed
    let logger: Logger

    /// One pass at a time (downloads and the poller both call in); true while the cache
    /// is above its quota with nothing it may evict.
    private let stuck = Locked(false)

    init(cache: ChatCache, tracker: AccessTracker, openFiles: OpenMediaFiles, changes: ChangeFeed, logger: Logger) {
        self.cache = cache
        self.tracker = tracker
        self.openFiles = openFiles
        self.changes = changes
        self.logger = logger
    }

    func enforce() {
        do {
            try stuck.withLock { stuck in
                guard try cache.isAboveHighMark() else {
                    if stuck { logger.notice("the cache is within its quota again") }
                    stuck = false
                    return
                }
                // The LRU order must include the accesses still in memory.
                try tracker.flush(to: cache)
                let report = try cache.enforceQuota(protectedChats: tracker.chats(usedWithin: Self.inUseWindow),
                                                    evictUnlessOpen: openFiles.evictUnlessOpen)
                if report.isEmpty {
                    if !stuck { warnNothingEvictable(report) }
                    stuck = true
                } else {
                    announce(report)
                    stuck = false
                }
            }
        } catch {
            logger.error("cannot enforce the cache quota: \(error)")
        }
    }

    private func warnNothingEvictable(_ report: EvictionReport) {
        logger.warning("""
            the cache is above its quota (\(ByteSize.format(report.usageAfter))) but nothing can be evicted \
            (pinned, open, young, in use or outbox data); said once until that changes
            """)
    }

    private func announce(_ report: EvictionReport) {
        var mediaByChat: [Int64: [String]] = [:]
        for media in report.media {
            if let chatRowID = media.chatRowID { mediaByChat[chatRowID, default: []].append(media.name) }
        }
        for (chatRowID, names) in mediaByChat.sorted(by: { $0.key < $1.key }) {
            changes.publish(.mediaChanged(chatRowID: chatRowID, names: names))
        }
        for messages in report.messages {
            changes.publish(.messagesRemoved(chatRowID: messages.chatRowID, names: messages.names))
        }
        changes.publish(.statusChanged)
        logger.notice("""
            cache quota: evicted \(report.media.count) attachment(s) and the messages of \(report.messages.count) chat(s); \
            usage \(ByteSize.format(report.usageBefore)) → \(ByteSize.format(report.usageAfter))
            """)
    }
}
