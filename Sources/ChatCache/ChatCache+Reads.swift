import Foundation
import GRDB

/// What the tree reads. Every query uses a cached prepared statement: these run once per
/// kernel request. Single-statement reads use `unsafeRead` (no explicit transaction: one
/// statement is consistent by itself, and the BEGIN/COMMIT pair cost a third of a lookup).
extension ChatCache {
    public func chats() throws -> [ChatRecord] {
        try pool.unsafeRead { db in
            try Row.fetchAll(db.cachedStatement(sql: "SELECT \(ChatRecord.columns) FROM chat ORDER BY dirName"))
                .map(ChatRecord.init(row:))
        }
    }

    /// The chats with unread messages (`unread/`).
    public func unreadChats() throws -> [ChatRecord] {
        try pool.unsafeRead { db in
            try Row.fetchAll(db.cachedStatement(sql: "SELECT \(ChatRecord.columns) FROM chat WHERE unreadCount > 0 ORDER BY dirName"))
                .map(ChatRecord.init(row:))
        }
    }

    public func chat(rowID: Int64) throws -> ChatRecord? {
        try pool.unsafeRead { db in
            try Row.fetchOne(db.cachedStatement(sql: "SELECT \(ChatRecord.columns) FROM chat WHERE rowID = ?"),
                             arguments: [rowID]).map(ChatRecord.init(row:))
        }
    }

    public func chat(dirName: String) throws -> ChatRecord? {
        try pool.unsafeRead { db in
            try Row.fetchOne(db.cachedStatement(sql: "SELECT \(ChatRecord.columns) FROM chat WHERE dirName = ?"),
                             arguments: [dirName]).map(ChatRecord.init(row:))
        }
    }

    public func chat(id: String) throws -> ChatRecord? {
        try pool.unsafeRead { db in
            try Row.fetchOne(db.cachedStatement(sql: "SELECT \(ChatRecord.columns) FROM chat WHERE id = ?"),
                             arguments: [id]).map(ChatRecord.init(row:))
        }
    }

    /// Messages of a chat with a sequence above `afterSequence`, ascending: one page of a
    /// directory listing.
    public func messages(chatRowID: Int64, afterSequence: Int, limit: Int) throws -> [MessageRecord] {
        try pool.unsafeRead { db in
            try Row.fetchAll(
                db.cachedStatement(sql: """
                    SELECT \(MessageRecord.columns) FROM message
                    WHERE chatRowID = ? AND sequence > ? ORDER BY sequence LIMIT ?
                    """),
                arguments: [chatRowID, afterSequence, limit]
            ).map(MessageRecord.init(row:))
        }
    }

    public func message(chatRowID: Int64, sequence: Int) throws -> MessageRecord? {
        try pool.unsafeRead { db in
            try Row.fetchOne(
                db.cachedStatement(sql: "SELECT \(MessageRecord.columns) FROM message WHERE chatRowID = ? AND sequence = ?"),
                arguments: [chatRowID, sequence]
            ).map(MessageRecord.init(row:))
        }
    }

    public func message(rowID: Int64) throws -> MessageRecord? {
        try pool.unsafeRead { db in
            try Row.fetchOne(
                db.cachedStatement(sql: "SELECT \(MessageRecord.columns) FROM message WHERE rowID = ?"),
                arguments: [rowID]
            ).map(MessageRecord.init(row:))
        }
    }

    public func messageCount(chatRowID: Int64) throws -> Int {
        try pool.read { db in
            try Int.fetchOne(db.cachedStatement(sql: "SELECT count(*) FROM message WHERE chatRowID = ?"),
                             arguments: [chatRowID]) ?? 0
        }
    }
}
