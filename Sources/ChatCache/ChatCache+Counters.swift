import Foundation
import GRDB

/// Hit and miss counters, persisted across mounts.
public enum CacheCounter: String, Sendable, CaseIterable, Codable {
    /// Attachment opens served from the cache.
    case mediaHits
    /// Attachment opens that needed a download.
    case mediaMisses
    /// Chat visits served from the cache.
    case chatHits
    /// Chat visits that had to wait for a first page (never synced, or evicted).
    case chatMisses
}

extension ChatCache {
    public func counters() throws -> [CacheCounter: Int] {
        try pool.read { db in
            var counters: [CacheCounter: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT name, value FROM counter") {
                if let counter = CacheCounter(rawValue: row["name"]) { counters[counter] = row["value"] }
            }
            return counters
        }
    }

    /// One batch of what the tree used since the last batch: counter increments and last
    /// access times (chats: `lastVisitedAt`; attachments: the LRU order). One transaction,
    /// written by the poller rather than once per read.
    public func recordAccess(counters: [CacheCounter: Int], chats: [Int64: Date], media: [Int64: Date]) throws {
        guard !counters.isEmpty || !chats.isEmpty || !media.isEmpty else { return }
        try pool.write { db in
            let count = try db.cachedStatement(sql: """
                INSERT INTO counter (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = value + excluded.value
                """)
            for (counter, increment) in counters where increment != 0 {
                try count.execute(arguments: [counter.rawValue, increment])
            }
            let chat = try db.cachedStatement(sql: "UPDATE chat SET lastVisitedAt = max(coalesce(lastVisitedAt, 0), ?) WHERE rowID = ?")
            for (rowID, date) in chats { try chat.execute(arguments: [date.timeIntervalSince1970, rowID]) }
            let attachment = try db.cachedStatement(sql: "UPDATE media SET lastAccess = max(coalesce(lastAccess, 0), ?) WHERE rowID = ?")
            for (rowID, date) in media { try attachment.execute(arguments: [date.timeIntervalSince1970, rowID]) }
        }
    }
}
