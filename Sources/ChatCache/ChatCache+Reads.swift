import Foundation
import GRDB

/// What the tree reads. Every query uses a cached prepared statement: these run once per
/// kernel request. Single-statement reads use `unsafeRead` (no explicit transaction: one
/// statement is consistent by itself, and the BEGIN/COMMIT pair cost a third of a lookup).
extension ChatCache {
    public func chats() throws -> [ChatRecord] {
        try pool.unsafeRead { db in
            try ChatRecord.fetchAll(db.cachedStatement(sql: "SELECT \(ChatRecord.columns) FROM chat ORDER BY dirName"))
        }
    }

    /// The chats with unread messages (`unread/`).
    public func unreadChats() throws -> [ChatRecord] {
        try pool.unsafeRead { db in
            try ChatRecord.fetchAll(db.cachedStatement(sql: "SELECT \(ChatRecord.columns) FROM chat WHERE unreadCount > 0 ORDER BY dirName"))
        }
    }

    public func chat(rowID: Int64) throws -> ChatRecord? {
        try pool.unsafeRead { db in
            try ChatRecord.fetchOne(db.cachedStatement(sql: "SELECT \(ChatRecord.columns) FROM chat WHERE rowID = ?"),
                             arguments: [rowID])
        }
    }

    public func chat(dirName: String) throws -> ChatRecord? {
        try pool.unsafeRead { db in
            try ChatRecord.fetchOne(db.cachedStatement(sql: "SELECT \(ChatRecord.columns) FROM chat WHERE dirName = ?"),
                             arguments: [dirName])
        }
    }

    public func chat(id: String) throws -> ChatRecord? {
        try pool.unsafeRead { db in
            try ChatRecord.fetchOne(db.cachedStatement(sql: "SELECT \(ChatRecord.columns) FROM chat WHERE id = ?"),
                             arguments: [id])
        }
    }

    /// Messages of a chat with a sequence above `afterSequence`, ascending: one page of a
    /// directory listing.
    public func messages(chatRowID: Int64, afterSequence: Int, limit: Int) throws -> [MessageRecord] {
        try pool.unsafeRead { db in
            try MessageRecord.fetchAll(
                db.cachedStatement(sql: """
                    SELECT \(MessageRecord.columns) FROM message
                    WHERE chatRowID = ? AND sequence > ? ORDER BY sequence LIMIT ?
                    """),
                arguments: [chatRowID, afterSequence, limit]
            )
        }
    }

    public func message(chatRowID: Int64, sequence: Int) throws -> MessageRecord? {
        try pool.unsafeRead { db in
            try MessageRecord.fetchOne(
                db.cachedStatement(sql: "SELECT \(MessageRecord.columns) FROM message WHERE chatRowID = ? AND sequence = ?"),
                arguments: [chatRowID, sequence]
            )
        }
    }

    public func message(rowID: Int64) throws -> MessageRecord? {
        try pool.unsafeRead { db in
            try MessageRecord.fetchOne(
                db.cachedStatement(sql: "SELECT \(MessageRecord.columns) FROM message WHERE rowID = ?"),
                arguments: [rowID]
            )
        }
    }

    public func messageCount(chatRowID: Int64) throws -> Int {
        try pool.read { db in
            try Int.fetchOne(db.cachedStatement(sql: "SELECT count(*) FROM message WHERE chatRowID = ?"),
                             arguments: [chatRowID]) ?? 0
        }
    }
}
