import Foundation
import GRDB

/// What the quota counts: the stored size of messages plus the cached attachments.
public struct CacheUsage: Sendable, Equatable {
    public var messageBytes: Int64
    public var mediaBytes: Int64
    public var total: Int64 { messageBytes + mediaBytes }

    public init(messageBytes: Int64, mediaBytes: Int64) {
        self.messageBytes = messageBytes
        self.mediaBytes = mediaBytes
    }
}

/// One quota for messages and attachments. Enforced when data is added: above the high
/// mark the least recently used data goes until usage is below the low mark, so the cache
/// exceeds its quota by at most the one download in flight. Older history is fetched only
/// while usage is below the low mark (`hasRoomForHistory`), so a chat bigger than the quota
/// stops filling in instead of being evicted as it arrives.
public enum CacheQuota {
    public static let defaultBytes: Int64 = 500 << 20
    public static let highMark = 0.9
    public static let lowMark = 0.8
    /// Messages younger than this are never evicted.
    public static let youngMessageAge: TimeInterval = 3600
    /// A chat in use keeps at least its newest messages (one page of the deployed backend):
    /// what its directory shows first.
    public static let inUseKeepsNewest = 200
}

/// What one eviction pass removed, for the change events and the log.
public struct EvictionReport: Sendable, Equatable {
    public struct Media: Sendable, Equatable {
        public var chatRowID: Int64?
        public var name: String
        public var bytes: Int64
    }

    public struct Messages: Sendable, Equatable {
        public var chatRowID: Int64
        public var names: [String]
        public var bytes: Int64
    }

    public var media: [Media] = []
    public var messages: [Messages] = []
    public var usageBefore: Int64 = 0
    public var usageAfter: Int64 = 0
    public var isEmpty: Bool { media.isEmpty && messages.isEmpty }
}

extension ChatCache {
    public func usage() throws -> CacheUsage {
        try pool.read { db in
            let row = try Row.fetchOne(db.cachedStatement(sql: """
                SELECT (SELECT coalesce(sum(messageBytes), 0) FROM chat) AS messageBytes,
                       (SELECT coalesce(sum(blobBytes), 0) FROM media) AS mediaBytes
                """))!
            return CacheUsage(messageBytes: row["messageBytes"], mediaBytes: row["mediaBytes"])
        }
    }

    /// The quota the last mount was given (`--cache-size`), or the default.
    public func quotaBytes() throws -> Int64 {
        try meta(.cacheQuota).flatMap(Int64.init) ?? CacheQuota.defaultBytes
    }

    public func setQuota(bytes: Int64) throws {
        try setMeta(.cacheQuota, String(bytes))
    }

    /// Whether usage is above the high mark (an eviction pass is due).
    public func isAboveHighMark() throws -> Bool {
        Double(try usage().total) > Double(try quotaBytes()) * CacheQuota.highMark
    }

    /// Whether a page of older history may be fetched: usage is below the low mark, so the
    /// page leaves it at most one page above it, and eviction (from the high mark down to
    /// the low one) never throws away what backfill just fetched.
    public func hasRoomForHistory() throws -> Bool {
        Double(try usage().total) < Double(try quotaBytes()) * CacheQuota.lowMark
    }

    /// When usage is above the high mark, evicts until it is below the low mark: cached
    /// attachments first, least recently opened first; then the messages of the least
    /// recently used chats (their rows and checkpoint stay; a later visit fetches again);
    /// then the oldest messages of the chats in use (`protectedChats`), which keep their
    /// newest `CacheQuota.inUseKeepsNewest` and their checkpoint (the held range starts
    /// higher; backfill fetches below it again only when there is room).
    ///
    /// Never evicted: pinned attachments; attachments `evictUnlessOpen` refuses (it runs the
    /// eviction it is given only while the file is not open, atomically with respect to
    /// opens, and says whether it ran); messages younger than an hour; the newest messages
    /// of `protectedChats`; the messages of chats with anything in their outbox.
    public func enforceQuota(now: Date = Date(), protectedChats: Set<Int64> = [],
                             evictUnlessOpen: (_ mediaRowID: Int64, _ evict: () throws -> Void) throws -> Bool) throws -> EvictionReport {
        let quota = Double(try quotaBytes())
        var usage = try usage().total
        var report = EvictionReport(usageBefore: usage, usageAfter: usage)
        guard Double(usage) > quota * CacheQuota.highMark else { return report }
        let target = Int64(quota * CacheQuota.lowMark)

        let candidates = try pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT media.rowID, media.name, media.blobBytes, chat.rowID AS chatRowID FROM media LEFT JOIN chat ON chat.id = media.chatID
                WHERE media.blobName IS NOT NULL AND media.pinned = 0 ORDER BY coalesce(media.lastAccess, 0), media.rowID
                """).map { (rowID: $0["rowID"] as Int64, name: $0["name"] as String, bytes: $0["blobBytes"] as Int64, chatRowID: $0["chatRowID"] as Int64?) }
        }
        for candidate in candidates where usage > target {
            var freed: Int64 = 0
            let evicted = try evictUnlessOpen(candidate.rowID) { freed = try dropBlob(mediaRowID: candidate.rowID) }
            guard evicted, freed > 0 else { continue }
            usage -= freed
            report.media.append(.init(chatRowID: candidate.chatRowID, name: candidate.name, bytes: freed))
        }

        if usage > target {
            let chats = try pool.read { db in
                try Int64.fetchAll(db, sql: """
                    SELECT rowID FROM chat WHERE messageBytes > 0 AND id NOT IN (SELECT chatID FROM outbox)
                    ORDER BY coalesce(lastVisitedAt, 0), rowID
                    """)
            }
            let youngSince = now.timeIntervalSince1970 - CacheQuota.youngMessageAge
            for chatRowID in chats where usage > target && !protectedChats.contains(chatRowID) {
                let (names, freed) = try pool.write { db in
                    try Self.deleteMessages(db, chatRowID: chatRowID, createdFrom: nil, before: youngSince)
                }
                guard !names.isEmpty else { continue }
                usage -= freed
                report.messages.append(.init(chatRowID: chatRowID, names: names, bytes: freed))
            }
            for chatRowID in chats where usage > target && protectedChats.contains(chatRowID) {
                let (names, freed) = try pool.write { db in
                    try Self.deleteOldestMessages(db, chatRowID: chatRowID, bytes: usage - target, before: youngSince)
                }
                guard !names.isEmpty else { continue }
                usage -= freed
                report.messages.append(.init(chatRowID: chatRowID, names: names, bytes: freed))
            }
        }
        report.usageAfter = try self.usage().total
        return report
    }

    /// Deletes a chat's oldest messages, older than `before` and below its newest
    /// `CacheQuota.inUseKeepsNewest`, until `bytes` are freed; the held range then starts at
    /// the oldest message kept and backfill is not done (it resumes when there is room).
    /// Returns the removed file names and their stored bytes.
    static func deleteOldestMessages(_ db: Database, chatRowID: Int64, bytes: Int64, before: Double) throws -> ([String], Int64) {
        let rows = try Row.fetchAll(db, sql: """
            SELECT sequence, sender, renderedSize FROM message
            WHERE chatRowID = ? AND createdAt < ? AND sequence < coalesce(
                (SELECT sequence FROM message WHERE chatRowID = ? ORDER BY sequence DESC LIMIT 1 OFFSET ?), -1)
            ORDER BY sequence
            """, arguments: [chatRowID, before, chatRowID, CacheQuota.inUseKeepsNewest - 1])
        var freed: Int64 = 0
        var victims: [Row] = []
        for row in rows where freed < bytes {
            freed += row["renderedSize"] as Int64
            victims.append(row)
        }
        guard let last = victims.last else { return ([], 0) }
        try db.execute(sql: "DELETE FROM message WHERE chatRowID = ? AND sequence <= ? AND createdAt < ?",
                       arguments: [chatRowID, last["sequence"] as Int, before])
        try db.execute(sql: """
            UPDATE chat SET backfillDone = 0,
                oldestHeld = coalesce((SELECT min(sequence) FROM message WHERE chatRowID = ?1), 0)
            WHERE rowID = ?1
            """, arguments: [chatRowID])
        return (victims.map { MessageFormat.fileName(sequence: $0["sequence"], sender: $0["sender"]) }, freed)
    }

    /// Deletes a chat's messages created in [from, before) (unbounded where nil) and, when
    /// any went, resets its checkpoint so the next visit fetches its history again. Returns
    /// the removed file names and their stored bytes.
    static func deleteMessages(_ db: Database, chatRowID: Int64, createdFrom from: Double?, before: Double?) throws -> ([String], Int64) {
        let range = "chatRowID = ? AND createdAt >= ? AND createdAt < ?"
        let arguments: StatementArguments = [chatRowID, from ?? -Double.greatestFiniteMagnitude, before ?? Double.greatestFiniteMagnitude]
        let rows = try Row.fetchAll(db, sql: "SELECT sequence, sender, renderedSize FROM message WHERE \(range)", arguments: arguments)
        guard !rows.isEmpty else { return ([], 0) }
        try db.execute(sql: "DELETE FROM message WHERE \(range)", arguments: arguments)
        try db.execute(sql: """
            UPDATE chat SET newestHeld = 0, oldestHeld = 0, backfillDone = 0, gapCount = 0, firstSyncedAt = NULL, fullSyncAt = NULL
            WHERE rowID = ?
            """, arguments: [chatRowID])
        let names = rows.map { MessageFormat.fileName(sequence: $0["sequence"], sender: $0["sender"]) }
        return (names, rows.reduce(0) { $0 + ($1["renderedSize"] as Int64) })
    }
}
