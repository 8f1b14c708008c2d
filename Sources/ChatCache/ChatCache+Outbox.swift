import Foundation
import GRDB

/// The outbox tables. Every change a user is told succeeded (a queued message, a
/// cancellation, a retry) is a `durableWrite`: on disk before the call returns.
extension ChatCache {
    static let outboxColumns = """
        rowID, chatID, name, content, state, clientTempID, queueOrder, enqueuedAt, attempts, nextAttemptAt, \
        lastError, needsCheck, modifiedAt, attachmentKind, mimeType, uploadedName
        """

    static func outboxItem(_ row: Row) -> OutboxItem {
        OutboxItem(
            rowID: row[0], chatID: row[1], name: row[2], content: [UInt8](row[3] as Data), state: OutboxState(rawValue: row[4]) ?? .draft,
            clientTempID: row[5], queueOrder: row[6], enqueuedAt: (row[7] as Double?).map(Date.init(timeIntervalSince1970:)),
            attempts: row[8], nextAttemptAt: (row[9] as Double?).map(Date.init(timeIntervalSince1970:)), lastError: row[10],
            needsCheck: row[11], modifiedAt: Date(timeIntervalSince1970: row[12]),
            attachmentKind: (row[13] as String?).flatMap(AttachmentKind.init(rawValue:)), mimeType: row[14], uploadedName: row[15])
    }

    // MARK: reading (the tree)

    public func outboxItems(chatID: String) throws -> [OutboxItem] {
        try pool.read { db in
            try Row.fetchAll(db.cachedStatement(sql: "SELECT \(Self.outboxColumns) FROM outbox WHERE chatID = ? ORDER BY name"),
                             arguments: [chatID]).map(Self.outboxItem)
        }
    }

    public func outboxItem(rowID: Int64) throws -> OutboxItem? {
        try pool.read { db in
            try Row.fetchOne(db.cachedStatement(sql: "SELECT \(Self.outboxColumns) FROM outbox WHERE rowID = ?"),
                             arguments: [rowID]).map(Self.outboxItem)
        }
    }

    /// The item `ls` lists as `listedName` (`x.failed` is the failed item `x`).
    public func outboxItem(chatID: String, listedName: String) throws -> OutboxItem? {
        try pool.read { db in
            let exact = try Row.fetchOne(db.cachedStatement(sql: "SELECT \(Self.outboxColumns) FROM outbox WHERE chatID = ? AND name = ?"),
                                         arguments: [chatID, listedName]).map(Self.outboxItem)
            if let exact, exact.state != .failed { return exact }
            guard listedName.hasSuffix(OutboxNames.failedSuffix) else { return nil }
            let name = String(listedName.dropLast(OutboxNames.failedSuffix.count))
            return try Row.fetchOne(db.cachedStatement(sql: "SELECT \(Self.outboxColumns) FROM outbox WHERE chatID = ? AND name = ? AND state = 'failed'"),
                                    arguments: [chatID, name]).map(Self.outboxItem)
        }
    }

    // MARK: writing files (the tree)

    /// A new, empty file being written. Fails with `OutboxConflict.exists` when the name is taken.
    public func createOutboxItem(chatID: String, name: String) throws -> OutboxItem {
        try durableWrite { db in
            guard try !Bool.fetchOne(db, sql: "SELECT EXISTS(SELECT 1 FROM outbox WHERE chatID = ? AND name = ?)", arguments: [chatID, name])! else {
                throw OutboxConflict.exists
            }
            try db.execute(sql: "INSERT INTO outbox (chatID, name, content, state, modifiedAt) VALUES (?, ?, x'', 'writing', ?)",
                           arguments: [chatID, name, Date().timeIntervalSince1970])
            let rowID = db.lastInsertedRowID
            return try Row.fetchOne(db, sql: "SELECT \(Self.outboxColumns) FROM outbox WHERE rowID = ?", arguments: [rowID]).map(Self.outboxItem)!
        }
    }

    /// Replaces a file's content and state, outside the queue (writing or draft).
    public func saveOutboxContent(rowID: Int64, content: [UInt8], state: OutboxState) throws {
        try durableWrite { db in
            try db.execute(sql: "UPDATE outbox SET content = ?, state = ?, modifiedAt = ? WHERE rowID = ?",
                           arguments: [Data(content), state.rawValue, Date().timeIntervalSince1970, rowID])
        }
    }

    /// Queues a file as a message (with its final content, renamed when `name` is given):
    /// validated, given its `clientTempID` and its place in the chat's order, and on disk
    /// before this returns. A failed item queued again keeps its `clientTempID`, so a retry
    /// can never duplicate an attempt that did reach the server.
    public func enqueueOutboxItem(rowID: Int64, content: [UInt8], name: String? = nil) throws {
        var attachment: (kind: AttachmentKind, mimeType: String)?
        if case .attachment(let kind, let mimeType) = try OutboxPolicy.classify(content) { attachment = (kind, mimeType) }
        let pending = try durableWrite { db -> Int in
            let pending = try Int.fetchOne(db, sql: "SELECT count(*) FROM outbox WHERE state = 'pending'")!
            guard pending < OutboxPolicy.maxPending else { throw OutboxRefusal.queueFull(limit: OutboxPolicy.maxPending) }
            let order = try Int64.fetchOne(db, sql: "SELECT coalesce(max(queueOrder), 0) + 1 FROM outbox")!
            let now = Date().timeIntervalSince1970
            try db.execute(sql: """
                UPDATE outbox SET content = ?, state = 'pending', clientTempID = coalesce(clientTempID, ?), queueOrder = ?,
                    enqueuedAt = coalesce(enqueuedAt, ?), attempts = 0, nextAttemptAt = NULL, lastError = NULL,
                    modifiedAt = ?, name = coalesce(?, name), attachmentKind = ?, mimeType = ?
                WHERE rowID = ?
                """, arguments: [Data(content), UUID().uuidString.lowercased(), order, now, now, name,
                                 attachment?.kind.rawValue, attachment?.mimeType, rowID])
            return pending + 1
        }
        if pending >= OutboxPolicy.warnPending {
            logger.warning("\(pending) messages wait to be sent; the outbox takes \(OutboxPolicy.maxPending) (is the server reachable?)")
        }
    }

    /// Renames (or moves between chats) a file that is not being sent.
    public func renameOutboxItem(rowID: Int64, to name: String, chatID: String, state: OutboxState) throws {
        try durableWrite { db in
            try db.execute(sql: "DELETE FROM outbox WHERE chatID = ? AND name = ? AND rowID != ?", arguments: [chatID, name, rowID])
            try db.execute(sql: "UPDATE outbox SET name = ?, chatID = ?, state = ?, modifiedAt = ? WHERE rowID = ?",
                           arguments: [name, chatID, state.rawValue, Date().timeIntervalSince1970, rowID])
        }
    }

    public func deleteOutboxItem(rowID: Int64) throws {
        try durableWrite { db in try db.execute(sql: "DELETE FROM outbox WHERE rowID = ?", arguments: [rowID]) }
    }

    // MARK: sending (sync)

    /// Per chat, the oldest queued message: the only one that may go next (per-chat FIFO).
    public func outboxHeads() throws -> [OutboxItem] {
        try pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT \(Self.outboxColumns) FROM outbox o
                WHERE state = 'pending' AND queueOrder = (SELECT min(queueOrder) FROM outbox WHERE chatID = o.chatID AND state = 'pending')
                ORDER BY queueOrder
                """).map(Self.outboxItem)
        }
    }

    public func pendingOutboxCount() throws -> Int {
        try pool.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM outbox WHERE state = 'pending'") ?? 0 }
    }

    /// Before a request that may reach the server: from now on a retry must look first.
    /// Returns false when the item is no longer queued (cancelled or renamed to a draft since
    /// the sender read the queue): then nothing may be sent.
    public func markSendAttempt(rowID: Int64) throws -> Bool {
        try durableWrite { db in
            try db.execute(sql: "UPDATE outbox SET needsCheck = 1 WHERE rowID = ? AND state = 'pending'", arguments: [rowID])
            return db.changesCount > 0
        }
    }

    /// The attachment is on the server under `name`: only its message remains to be sent.
    public func recordUpload(rowID: Int64, uploadedName: String) throws {
        try durableWrite { db in
            try db.execute(sql: "UPDATE outbox SET uploadedName = ? WHERE rowID = ?", arguments: [uploadedName, rowID])
        }
    }

    /// After a failed attempt: when to try again, or `.failed` with the reason.
    public func recordSendFailure(rowID: Int64, attempts: Int, state: OutboxState, nextAttemptAt: Date?, error: String, needsCheck: Bool) throws {
        try durableWrite { db in
            try db.execute(sql: """
                UPDATE outbox SET attempts = ?, state = ?, nextAttemptAt = ?, lastError = ?, needsCheck = ? WHERE rowID = ?
                """, arguments: [attempts, state.rawValue, nextAttemptAt?.timeIntervalSince1970, error, needsCheck, rowID])
        }
    }

    /// The server has the message: it leaves the outbox and becomes a message file, in one
    /// transaction (never both listed, never neither). Returns the new file's name.
    public func completeSend(rowID: Int64, as message: IncomingMessage, chatRowID: Int64?) throws -> String? {
        try durableWrite { db in
            try db.execute(sql: "DELETE FROM outbox WHERE rowID = ?", arguments: [rowID])
            guard let chatRowID else { return nil }
            return try Self.insertMessages([message], chatRowID: chatRowID, widenHeldRange: false, db).first
        }
    }
}

public enum OutboxConflict: Error, Equatable {
    case exists
}
