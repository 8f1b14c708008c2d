import Foundation
import GRDB

/// Marking chats read: queued like sends (it works offline), told to the server by the
/// sender, shown at once.
extension ChatCache {
    /// Queues "mark this chat read" and shows it read right away.
    public func requestMarkRead(chatID: String) throws {
        try durableWrite { db in
            try db.execute(sql: "INSERT OR REPLACE INTO readRequest (chatID, requestedAt) VALUES (?, ?)",
                           arguments: [chatID, Date().timeIntervalSince1970])
            try db.execute(sql: "UPDATE chat SET unreadCount = 0 WHERE id = ?", arguments: [chatID])
        }
    }

    public func readRequests() throws -> [(chatID: String, requestedAt: Date)] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT chatID, requestedAt FROM readRequest ORDER BY requestedAt")
                .map { ($0["chatID"], Date(timeIntervalSince1970: $0["requestedAt"])) }
        }
    }

    /// The server took it: forget the request (unless a newer one came meanwhile).
    public func completeReadRequest(chatID: String, requestedAt: Date) throws {
        try durableWrite { db in
            try db.execute(sql: "DELETE FROM readRequest WHERE chatID = ? AND requestedAt <= ?",
                           arguments: [chatID, requestedAt.timeIntervalSince1970])
        }
    }
}
