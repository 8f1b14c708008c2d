import Foundation
import GRDB

/// The cache at a glance, for `.chatfs/status` and `chatfs status [--json]`. The JSON form
/// is part of the interface (see README "Status"): add fields, never rename them.
public struct CacheStatus: Codable, Sendable, Equatable {
    public struct Chat: Codable, Sendable, Equatable {
        public var name: String
        public var id: String
        public var messagesHeld: Int
        public var serverLastSequence: Int
        public var oldestHeld: Int
        public var backfillDone: Bool
        public var unread: Int
        public var lastSyncedAt: Date?
        /// The last access (a visit or a read), written in batches: the chats' LRU order.
        public var lastVisitedAt: Date?
        public var lastError: String?
        /// The stored size of its messages (what the quota counts for them).
        public var messageBytes: Int64
        /// Listed attachments in its media/, and the bytes of those cached.
        public var mediaFiles: Int
        public var mediaBytes: Int64
        /// Bytes of its pinned attachments (cached or not: their listed size).
        public var pinnedBytes: Int64
    }

    /// A pinned attachment (`chatfs pin`, `setfattr -n user.chatfs.pinned -v 1`).
    public struct Pinned: Codable, Sendable, Equatable {
        public var chat: String
        public var name: String
        public var bytes: Int64
        public var cached: Bool

        public init(chat: String, name: String, bytes: Int64, cached: Bool) {
            self.chat = chat
            self.name = name
            self.bytes = bytes
            self.cached = cached
        }
    }

    /// A message in an outbox that has not reached the server.
    public struct Send: Codable, Sendable, Equatable {
        public var chat: String
        public var name: String
        /// waiting, sending, failed or refused (drafts and files being written are not listed).
        public var state: String
        public var attempts: Int
        public var nextAttemptAt: Date?
        public var lastError: String?
    }

    /// A technician queue view: its directory name in `queues/`, its size on the server,
    /// and whether (when) its members were fetched.
    public struct Queue: Codable, Sendable, Equatable {
        public var name: String
        public var count: Int
        public var membersFetchedAt: Date?
    }

    public var server: String?
    public var user: String?
    /// `technician` or `requester` (nil before the first mount that could tell).
    public var role: String?
    /// A technician's queues (empty for a requester).
    public var queues: [Queue]
    public var generation: String?
    public var lastSyncAt: Date?
    public var lastError: String?
    public var lastRefusal: String?
    public var chatCount: Int
    public var messageCount: Int
    public var cacheBytes: Int64
    public var chats: [Chat]
    public var pendingSends: Int
    public var failedSends: Int
    /// Outbox files that could not be queued (listed as `<name>.refused`).
    public var refusedFiles: Int
    public var sends: [Send]
    /// The quota and what it counts (messages' stored size + cached attachments).
    public var quotaBytes: Int64
    public var usedBytes: Int64
    /// usedBytes / quotaBytes × 100, one decimal.
    public var usedPercent: Double
    public var messageBytes: Int64
    public var mediaBytes: Int64
    /// Attachment opens served from the cache, and those that downloaded.
    public var mediaHits: Int
    public var mediaMisses: Int
    /// hits / (hits + misses); nil before the first open.
    public var mediaHitRate: Double?
    /// Chat visits served from the cache, and those that waited for a fetch.
    public var chatHits: Int
    public var chatMisses: Int
    public var chatHitRate: Double?
    /// The last attachment that could not be opened, with the reason.
    public var lastMediaError: String?
    public var pinned: [Pinned]
}

extension ChatCache {
    public func status() throws -> CacheStatus {
        let meta = try pool.read { db in
            try Dictionary(uniqueKeysWithValues: Row.fetchAll(db, sql: "SELECT key, value FROM meta").map { ($0["key"] as String, $0["value"] as String) })
        }
        let chats = try pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT dirName, id, (SELECT count(*) FROM message WHERE chatRowID = chat.rowID) AS messagesHeld,
                       serverLastSequence, oldestHeld, backfillDone, unreadCount, lastSyncedAt, lastVisitedAt, lastError,
                       messageBytes,
                       (SELECT count(*) FROM media WHERE chatID = chat.id AND \(Self.listedMedia)) AS mediaFiles,
                       (SELECT coalesce(sum(blobBytes), 0) FROM media WHERE chatID = chat.id) AS mediaBytes,
                       (SELECT coalesce(sum(size), 0) FROM media WHERE chatID = chat.id AND pinned = 1) AS pinnedBytes
                FROM chat ORDER BY dirName
                """).map { row in
                CacheStatus.Chat(
                    name: row["dirName"], id: row["id"], messagesHeld: row["messagesHeld"],
                    serverLastSequence: row["serverLastSequence"], oldestHeld: row["oldestHeld"],
                    backfillDone: row["backfillDone"], unread: row["unreadCount"],
                    lastSyncedAt: (row["lastSyncedAt"] as Double?).map(Date.init(timeIntervalSince1970:)),
                    lastVisitedAt: (row["lastVisitedAt"] as Double?).map(Date.init(timeIntervalSince1970:)),
                    lastError: row["lastError"], messageBytes: row["messageBytes"], mediaFiles: row["mediaFiles"],
                    mediaBytes: row["mediaBytes"], pinnedBytes: row["pinnedBytes"])
            }
        }
        let sends = try pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT coalesce(chat.dirName, outbox.chatID) AS chat, outbox.name, outbox.state, outbox.attempts,
                       outbox.nextAttemptAt, outbox.lastError
                FROM outbox LEFT JOIN chat ON chat.id = outbox.chatID
                WHERE outbox.state IN ('waiting', 'sending', 'failed', 'refused') ORDER BY outbox.queueOrder, outbox.rowID
                """).map { row in
                CacheStatus.Send(chat: row["chat"], name: row["name"], state: row["state"], attempts: row["attempts"],
                                 nextAttemptAt: (row["nextAttemptAt"] as Double?).map(Date.init(timeIntervalSince1970:)),
                                 lastError: row["lastError"])
            }
        }
        let pinned = try pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT coalesce(chat.dirName, media.chatID) AS chat, media.name, media.size, media.blobName IS NOT NULL AS cached
                FROM media LEFT JOIN chat ON chat.id = media.chatID WHERE media.pinned = 1 ORDER BY 1, 2
                """).map { CacheStatus.Pinned(chat: $0["chat"], name: $0["name"], bytes: $0["size"], cached: $0["cached"]) }
        }
        let queues = try queueViews().map {
            CacheStatus.Queue(name: QueueNames.directoryName(forView: $0.view), count: $0.count, membersFetchedAt: $0.membersFetchedAt)
        }.sorted { $0.name < $1.name }
        let usage = try usage()
        let quota = try quotaBytes()
        let counters = try counters()
        func rate(_ hits: CacheCounter, _ misses: CacheCounter) -> Double? {
            let total = (counters[hits] ?? 0) + (counters[misses] ?? 0)
            return total == 0 ? nil : Double(counters[hits] ?? 0) / Double(total)
        }
        return CacheStatus(
            server: meta[MetaKey.server.rawValue], user: meta[MetaKey.user.rawValue], role: meta[MetaKey.role.rawValue],
            queues: queues,
            generation: meta[MetaKey.generation.rawValue],
            lastSyncAt: meta[MetaKey.lastSync.rawValue].flatMap(Double.init).map(Date.init(timeIntervalSince1970:)),
            lastError: meta[MetaKey.lastError.rawValue], lastRefusal: meta[MetaKey.lastRefusal.rawValue],
            chatCount: chats.count, messageCount: chats.reduce(0) { $0 + $1.messagesHeld },
            cacheBytes: diskUsage(), chats: chats,
            pendingSends: sends.filter { [OutboxState.waiting.rawValue, OutboxState.sending.rawValue].contains($0.state) }.count,
            failedSends: sends.filter { $0.state == OutboxState.failed.rawValue }.count,
            refusedFiles: sends.filter { $0.state == OutboxState.refused.rawValue }.count, sends: sends,
            quotaBytes: quota, usedBytes: usage.total,
            usedPercent: quota > 0 ? (Double(usage.total) / Double(quota) * 1000).rounded() / 10 : 0,
            messageBytes: usage.messageBytes, mediaBytes: usage.mediaBytes,
            mediaHits: counters[.mediaHits] ?? 0, mediaMisses: counters[.mediaMisses] ?? 0,
            mediaHitRate: rate(.mediaHits, .mediaMisses),
            chatHits: counters[.chatHits] ?? 0, chatMisses: counters[.chatMisses] ?? 0,
            chatHitRate: rate(.chatHits, .chatMisses),
            lastMediaError: meta[MetaKey.lastMediaError.rawValue], pinned: pinned)
    }

    /// Bytes the cache occupies on disk (database, WAL, blobs).
    public func diskUsage() -> Int64 {
        guard let walker = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: [.fileSizeKey]) else { return 0 }
        var total: Int64 = 0
        for case let url as URL in walker {
            total += Int64((try? url.resourceValues(forKeys: [.fileSizeKey]))?.fileSize ?? 0)
        }
        return total
    }

    /// The human form of `status()`, as `.chatfs/status` and `chatfs status` show it, its
    /// tables fitted to `width` columns (nil: not fitted).
    public func statusText(width: Int?) throws -> String {
        try Self.render(status(), width: width)
    }

    public static func render(_ status: CacheStatus, width: Int?) -> String {
        func when(_ date: Date?) -> String { date.map(MessageFormat.dateString) ?? "never" }
        func percent(_ rate: Double?) -> String { rate.map { "\(Int(($0 * 100).rounded())) %" } ?? "-" }
        var lines = [
            "server:      \(status.server ?? "unknown")",
            "user:        \(status.user ?? "unknown")",
            "generation:  \(status.generation ?? "not detected yet")",
            "last sync:   \(when(status.lastSyncAt))",
            "last error:  \(status.lastError ?? "none")",
            "last refused: \(status.lastRefusal ?? "none")",
            "chats:       \(status.chatCount)",
            "messages:    \(status.messageCount) cached",
            "sends:       \(status.pendingSends) pending, \(status.failedSends) failed, \(status.refusedFiles) refused",
            "cache size:  \(ByteCountFormatter.string(fromByteCount: status.cacheBytes, countStyle: .file)) (\(status.cacheBytes) bytes)",
            "quota:       \(ByteSize.format(status.usedBytes)) of \(ByteSize.format(status.quotaBytes)) used (\(status.usedPercent) %): "
                + "messages \(ByteSize.format(status.messageBytes)), media \(ByteSize.format(status.mediaBytes))",
            "hit rate:    media \(percent(status.mediaHitRate)) (\(status.mediaHits) hits, \(status.mediaMisses) downloads), "
                + "chats \(percent(status.chatHitRate)) (\(status.chatHits) from cache, \(status.chatMisses) fetched)",
            "last media error: \(status.lastMediaError ?? "none")",
            "",
        ]
        var chats = TextTable(header: ["CHAT", "MESSAGES", "HISTORY", "UNREAD", "SYNCED", "USED", "MEDIA", "PINNED"])
        chats.optionalColumns = [7, 6, 5, 2]
        for chat in status.chats {
            let history = chat.backfillDone ? "complete" : (chat.oldestHeld > 0 ? "from \(chat.oldestHeld)" : "not started")
            chats.rows.append([
                chat.name, "\(chat.messagesHeld)/\(chat.serverLastSequence)", history, "\(chat.unread)", shortDate(chat.lastSyncedAt),
                shortDate(chat.lastVisitedAt), chat.mediaFiles == 0 ? "-" : "\(chat.mediaFiles) · \(ByteSize.format(chat.mediaBytes))",
                chat.pinnedBytes == 0 ? "-" : ByteSize.format(chat.pinnedBytes),
            ])
        }
        lines.append("chats (times in UTC; SYNCED: last sync, USED: last visit):")
        lines += chats.render(width: width)
        for chat in status.chats {
            if let error = chat.lastError { lines.append("error in \(chat.name): \(error)") }
        }
        if !status.sends.isEmpty {
            var sends = TextTable(header: ["OUTBOX", "FILE", "STATE", "ATTEMPTS", "NEXT ATTEMPT", "LAST ERROR"])
            sends.flexibleColumn = 5
            for send in status.sends {
                sends.rows.append([send.chat, send.name, send.state, "\(send.attempts)", shortDate(send.nextAttemptAt, never: "-"),
                                   send.lastError ?? "-"])
            }
            lines += [""] + sends.render(width: width)
        }
        if !status.queues.isEmpty {
            lines += ["", "queue  size  members fetched"]
            for queue in status.queues {
                lines.append("\(queue.name)  \(queue.count)  \(when(queue.membersFetchedAt))")
            }
        }
        if !status.pinned.isEmpty {
            var pinned = TextTable(header: ["PINNED", "FILE", "SIZE", "CACHED"])
            for pin in status.pinned {
                pinned.rows.append([pin.chat, pin.name, ByteSize.format(pin.bytes), pin.cached ? "yes" : "no"])
            }
            lines += [""] + pinned.render(width: width)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Month, day and minute are enough in a table; the JSON has the exact times.
    static func shortDate(_ date: Date?, never: String = "never") -> String {
        guard let date else { return never }
        let iso = MessageFormat.dateString(date)  // 2026-02-10T08:15:42Z
        return String(iso.dropFirst(5).prefix(11)).replacingOccurrences(of: "T", with: " ")
    }
}
