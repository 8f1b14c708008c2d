import Foundation
import GRDB

/// What `chatfs cache clear` removes: cached message bodies and attachment bytes whose time
/// (message time, upload time) is in [from, before); unbounded where nil. Never the outbox.
public struct ClearRange: Sendable, Equatable {
    public var from: Date?
    public var before: Date?
    /// Pinned attachments too (`--all`). They stay pinned: the next open downloads them again.
    public var includePinned: Bool

    public init(from: Date? = nil, before: Date? = nil, includePinned: Bool = false) {
        self.from = from
        self.before = before
        self.includePinned = includePinned
    }
}

public struct ClearReport: Sendable, Equatable {
    public var messages = 0
    public var messageBytes: Int64 = 0
    public var chats = 0
    public var mediaFiles = 0
    public var mediaBytes: Int64 = 0
    public var keptPinned = 0
    public var freedBytes: Int64 { messageBytes + mediaBytes }
}

/// A name that disappeared (or changed) in a chat directory while another process held
/// the cache: the mount announces it so the kernel forgets it.
public struct CacheRemoval: Sendable, Equatable {
    public enum Directory: String, Sendable { case messages, media }
    public var chatRowID: Int64
    public var directory: Directory
    public var names: [String]

    public init(chatRowID: Int64, directory: Directory, names: [String]) {
        self.chatRowID = chatRowID
        self.directory = directory
        self.names = names
    }
}

extension ChatCache {
    /// Removes what `range` selects in one transaction, resets the checkpoint of every chat
    /// that lost messages, and logs the removed names for a running mount (`takeRemovals`).
    public func clear(_ range: ClearRange) throws -> ClearReport {
        let from = range.from?.timeIntervalSince1970
        let before = range.before?.timeIntervalSince1970
        var blobs: [String] = []
        let report = try pool.write { db -> ClearReport in
            var report = ClearReport()
            let log = try db.cachedStatement(sql: "INSERT INTO removal (chatRowID, directory, name) VALUES (?, ?, ?)")
            for chatRowID in try Int64.fetchAll(db, sql: "SELECT rowID FROM chat WHERE messageBytes > 0") {
                let (names, bytes) = try Self.deleteMessages(db, chatRowID: chatRowID, createdFrom: from, before: before)
                guard !names.isEmpty else { continue }
                report.chats += 1
                report.messages += names.count
                report.messageBytes += bytes
                for name in names { try log.execute(arguments: [chatRowID, CacheRemoval.Directory.messages.rawValue, name]) }
            }
            let selected = try Row.fetchAll(db, sql: """
                SELECT media.rowID, media.blobName, media.blobBytes, media.pinned, media.name, chat.rowID AS chatRowID
                FROM media LEFT JOIN chat ON chat.id = media.chatID
                WHERE media.blobName IS NOT NULL AND media.createdAt >= ? AND media.createdAt < ?
                """, arguments: [from ?? -Double.greatestFiniteMagnitude, before ?? Double.greatestFiniteMagnitude])
            for row in selected {
                let pinned: Bool = row["pinned"]
                if pinned && !range.includePinned {
                    report.keptPinned += 1
                    continue
                }
                try db.execute(sql: "UPDATE media SET blobName = NULL, blobBytes = 0 WHERE rowID = ?", arguments: [row["rowID"] as Int64])
                blobs.append(row["blobName"])
                report.mediaFiles += 1
                report.mediaBytes += row["blobBytes"] as Int64
                if let chatRowID = row["chatRowID"] as Int64? {
                    try log.execute(arguments: [chatRowID, CacheRemoval.Directory.media.rawValue, row["name"] as String])
                }
            }
            return report
        }
        removeBlobFiles(blobs)
        return report
    }

    /// Whether another process logged removals the mount has not announced yet (one cheap
    /// query: the poller asks on every tick).
    public func hasRemovals() throws -> Bool {
        try pool.read { try Bool.fetchOne($0.cachedStatement(sql: "SELECT EXISTS(SELECT 1 FROM removal)")) ?? false }
    }

    /// The logged removals, grouped per chat directory, and forgets them.
    public func takeRemovals() throws -> [CacheRemoval] {
        try pool.write { db in
            let rows = try Row.fetchAll(db, sql: "SELECT chatRowID, directory, name FROM removal ORDER BY rowid")
            try db.execute(sql: "DELETE FROM removal")
            var grouped: [CacheRemoval] = []
            for row in rows {
                guard let directory = CacheRemoval.Directory(rawValue: row["directory"]) else { continue }
                let chatRowID: Int64 = row["chatRowID"]
                if let last = grouped.indices.last, grouped[last].chatRowID == chatRowID, grouped[last].directory == directory {
                    grouped[last].names.append(row["name"])
                } else {
                    grouped.append(CacheRemoval(chatRowID: chatRowID, directory: directory, names: [row["name"]]))
                }
            }
            return grouped
        }
    }
}
