import ChatCache
import Foundation
import GRDB

/// Every read and every state change of the `outbox` table. Each change is one durable
/// write transaction that checks the state it changes, in SQL, before it changes it (a
/// compare-and-set): the sender claims with `… SET state = 'sending' WHERE … AND state =
/// 'waiting'`, and nothing but the sender touches a row in `sending`. What a caller
/// decided from an earlier read is re-checked here, never trusted.
struct OutboxStore: Sendable {
    let cache: ChatCache

    // MARK: reads (metadata only; content on demand)

    func items(chatID: String) throws -> [OutboxRecord] {
        try cache.read { db in
            try OutboxRecord.filter(OutboxRecord.CodingKeys.chatID == chatID).order(OutboxRecord.CodingKeys.rowID).fetchAll(db)
        }
    }

    func item(rowID: Int64) throws -> OutboxRecord? {
        try cache.read { db in try OutboxRecord.fetchOne(db, key: rowID) }
    }

    /// The item `ls` lists as `listedName` (`x.failed` is the failed item `x`).
    func item(chatID: String, listedName: String) throws -> OutboxRecord? {
        try cache.read { db in try Self.item(chatID: chatID, listedName: listedName, db) }
    }

    static func item(chatID: String, listedName: String, _ db: Database) throws -> OutboxRecord? {
        for candidate in OutboxNames.candidates(forListed: listedName) {
            let found = try OutboxRecord.filter(OutboxRecord.CodingKeys.chatID == chatID && OutboxRecord.CodingKeys.name == candidate.name)
                .fetchOne(db)
            if let found, found.listedName == listedName { return found }
        }
        return nil
    }

    func content(rowID: Int64) throws -> [UInt8]? {
        try cache.read { db in try Self.content(rowID: rowID, db) }
    }

    static func content(rowID: Int64, _ db: Database) throws -> [UInt8]? {
        try Data.fetchOne(db, sql: "SELECT content FROM outbox WHERE rowID = ?", arguments: [rowID]).map { [UInt8]($0) }
    }

    func state(rowID: Int64) throws -> OutboxState? {
        try cache.read { db in
            try String.fetchOne(db, sql: "SELECT state FROM outbox WHERE rowID = ?", arguments: [rowID]).flatMap(OutboxState.init)
        }
    }

    /// Messages queued or in flight.
    func queuedCount() throws -> Int {
        try cache.read { db in try Self.queuedCount(db) }
    }

    static func queuedCount(_ db: Database) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT count(*) FROM outbox WHERE state IN ('waiting', 'sending')") ?? 0
    }

    // MARK: transactions

    /// A durable transaction over the current row: `body` gets the row as it is now (nil
    /// when gone) and decides inside the transaction.
    func change<T>(rowID: Int64, _ body: (OutboxRecord?, Database) throws -> T) throws -> T {
        try cache.durableWrite { db in try body(try OutboxRecord.fetchOne(db, key: rowID), db) }
    }

    func write<T>(_ body: (Database) throws -> T) throws -> T {
        try cache.durableWrite(body)
    }

    // MARK: statements used inside transactions

    static func insert(chatID: String, name: String, state: OutboxState, action: String? = nil, mode: Int = 0o644, now: Date,
                       _ db: Database) throws -> OutboxRecord
    {
        try db.execute(sql: "INSERT INTO outbox (chatID, name, state, action, mode, modifiedAt) VALUES (?, ?, ?, ?, ?, ?)",
                       arguments: [chatID, name, state.rawValue, action, mode & 0o777, now.timeIntervalSince1970])
        return try OutboxRecord.fetchOne(db, key: db.lastInsertedRowID)!
    }

    /// The mtime moves only with the content (its arguments: the new content, then now). A
    /// close() that queues what an fsync already stored leaves it alone, as a local disk's
    /// close does; an editor that stats its file before close and again before its next save
    /// (vim) otherwise finds it "changed since reading" and does not save (RELIABILITY.md,
    /// 2026-12-02). The comparison reads the stored content once more, on close and fsync only.
    private static let modifiedAtIfContentChanges = "modifiedAt = CASE WHEN content IS ? THEN modifiedAt ELSE ? END"

    static func setContent(rowID: Int64, _ content: [UInt8], state: OutboxState, now: Date, _ db: Database) throws {
        try db.execute(sql: """
            UPDATE outbox SET content = ?, size = ?, state = ?, \(modifiedAtIfContentChanges)
            WHERE rowID = ?
            """, arguments: [Data(content), content.count, state.rawValue, Data(content), now.timeIntervalSince1970, rowID])
    }

    static func setState(rowID: Int64, _ state: OutboxState, now: Date, _ db: Database) throws {
        try db.execute(sql: "UPDATE outbox SET state = ?, modifiedAt = ? WHERE rowID = ?",
                       arguments: [state.rawValue, now.timeIntervalSince1970, rowID])
    }

    static func rename(rowID: Int64, to name: String, chatID: String, state: OutboxState, now: Date, _ db: Database) throws {
        try db.execute(sql: "UPDATE outbox SET name = ?, chatID = ?, state = ?, modifiedAt = ? WHERE rowID = ?",
                       arguments: [name, chatID, state.rawValue, now.timeIntervalSince1970, rowID])
    }

    static func delete(rowID: Int64, _ db: Database) throws {
        try db.execute(sql: "DELETE FROM outbox WHERE rowID = ?", arguments: [rowID])
    }

    /// Queues `rowID` with `content`: classified (a refusal throws and, thrown inside the
    /// transaction, changes nothing), given its `clientTempID` (kept when it had one: a retry
    /// must never duplicate an attempt that reached the server) and the back of the queue,
    /// to go at `sendAt`. Returns how many messages are then queued.
    static func enqueue(rowID: Int64, content: [UInt8], sendAt: Date, now: Date, _ db: Database) throws -> Int {
        guard let item = try OutboxRecord.fetchOne(db, key: rowID) else { throw OutboxError.gone }
        var attachment: (kind: AttachmentKind, mimeType: String)?
        if item.action == nil {
            if case .attachment(let kind, let mimeType) = try OutboxPolicy.classify(content) { attachment = (kind, mimeType) }
            if let status = try ChatCache.solvedStatus(chatID: item.chatID, db) { throw OutboxRefusal.chatClosed(status: status) }
        }
        let queued = try queuedCount(db)
        guard queued < OutboxPolicy.maxQueued else { throw OutboxRefusal.queueFull(limit: OutboxPolicy.maxQueued) }
        let order = try Int64.fetchOne(db, sql: "SELECT coalesce(max(queueOrder), 0) + 1 FROM outbox")!
        try db.execute(sql: """
            UPDATE outbox SET content = ?, size = ?, state = 'waiting', clientTempID = coalesce(clientTempID, ?),
                queueOrder = ?, enqueuedAt = coalesce(enqueuedAt, ?), attempts = 0, nextAttemptAt = ?, lastError = NULL,
                \(modifiedAtIfContentChanges), attachmentKind = ?, mimeType = ?
            WHERE rowID = ?
            """, arguments: [Data(content), content.count, UUID().uuidString.lowercased(), order, now.timeIntervalSince1970,
                             sendAt.timeIntervalSince1970, Data(content), now.timeIntervalSince1970,
                             attachment?.kind.rawValue, attachment?.mimeType, rowID])
        return queued + 1
    }

    /// A file that cannot be sent as written: kept (read-only, listed `<name>.refused`) with
    /// its reason. An oversized attachment keeps no bytes.
    static func refuse(rowID: Int64, content: [UInt8], reason: OutboxRefusal, now: Date, _ db: Database) throws {
        let kept: [UInt8] = if case .attachmentTooLarge = reason { [] } else { content }
        try db.execute(sql: """
            UPDATE outbox SET content = ?, size = ?, state = 'refused', lastError = ?, nextAttemptAt = NULL, modifiedAt = ?
            WHERE rowID = ?
            """, arguments: [Data(kept), kept.count, reason.description, now.timeIntervalSince1970, rowID])
    }

    // MARK: the sender

    /// Per chat, the oldest queued item: the only one that may go next (per-chat FIFO).
    /// Nil `nextAttemptAt` never happens for a queued item; it would sort as due.
    func heads() throws -> [OutboxRecord] {
        try cache.read { db in
            try OutboxRecord.fetchAll(db, sql: """
                SELECT \(Self.columns) FROM outbox o
                WHERE state IN ('waiting', 'sending')
                  AND queueOrder = (SELECT min(queueOrder) FROM outbox WHERE chatID = o.chatID AND state IN ('waiting', 'sending'))
                ORDER BY queueOrder
                """)
        }
    }

    static let columns = OutboxRecord.CodingKeys.allCases.map(\.rawValue).joined(separator: ", ")

    /// Takes a due waiting item for an attempt: nil when it is no longer waiting or due (a
    /// rewrite, rename or rm got there first).
    func claim(rowID: Int64, now: Date) throws -> OutboxRecord? {
        try write { db in
            try db.execute(sql: """
                UPDATE outbox SET state = 'sending' WHERE rowID = ? AND state = 'waiting' AND coalesce(nextAttemptAt, 0) <= ?
                """, arguments: [rowID, now.timeIntervalSince1970])
            guard db.changesCount > 0 else { return nil }
            return try OutboxRecord.fetchOne(db, key: rowID)
        }
    }

    /// Before a request that may reach the server: from now on a retry must look first.
    func markMayReachServer(rowID: Int64) throws {
        try write { db in
            try db.execute(sql: "UPDATE outbox SET needsCheck = 1 WHERE rowID = ? AND state = 'sending'", arguments: [rowID])
        }
    }

    /// The attachment is on the server under `name`: only its message remains to be sent.
    func recordUpload(rowID: Int64, uploadedName: String) throws {
        try write { db in
            try db.execute(sql: "UPDATE outbox SET uploadedName = ? WHERE rowID = ? AND state = 'sending'",
                           arguments: [uploadedName, rowID])
        }
    }

    /// An attempt ended without the message on the server: the item waits again (or has
    /// failed). Only a row still `sending` changes.
    func release(rowID: Int64, _ outcome: SendPolicy.Outcome) throws {
        try write { db in
            try db.execute(sql: """
                UPDATE outbox SET state = ?, attempts = ?, nextAttemptAt = ?, lastError = ?, needsCheck = ?,
                    inDoubtSince = CASE WHEN ? THEN ? ELSE inDoubtSince END
                WHERE rowID = ? AND state = 'sending'
                """, arguments: [outcome.state.rawValue, outcome.attempts, outcome.nextAttemptAt?.timeIntervalSince1970,
                                 outcome.reason, outcome.needsCheck, outcome.startsDoubt, outcome.now.timeIntervalSince1970, rowID])
        }
    }

    /// The server has the message (or took the ticket): it leaves the outbox and a message
    /// becomes a message file, in one transaction. Returns the new file's name (nil when the
    /// chat is not cached, or for an action).
    func complete(rowID: Int64, as message: IncomingMessage?, chatRowID: Int64?) throws -> String? {
        try write { db in
            try db.execute(sql: "DELETE FROM outbox WHERE rowID = ? AND state = 'sending'", arguments: [rowID])
            guard db.changesCount > 0, let chatRowID, let message else { return nil }
            return try ChatCache.storeSentMessage(message, chatRowID: chatRowID, db)
        }
    }

    /// Items a crash (or a kill) caught in flight: they may have reached the server.
    func recoverInterruptedAttempts(now: Date) throws -> Int {
        try write { db in
            try db.execute(sql: """
                UPDATE outbox SET state = 'waiting', needsCheck = 1, inDoubtSince = ?, nextAttemptAt = ?
                WHERE state = 'sending'
                """, arguments: [now.timeIntervalSince1970, now.timeIntervalSince1970])
            return db.changesCount
        }
    }

    /// Ends the send window of every queued item never tried yet (the flush barrier).
    func endSendWindows(now: Date) throws {
        try write { db in
            try db.execute(sql: """
                UPDATE outbox SET nextAttemptAt = ? WHERE state = 'waiting' AND attempts = 0 AND needsCheck = 0 AND nextAttemptAt > ?
                """, arguments: [now.timeIntervalSince1970, now.timeIntervalSince1970])
        }
    }
}
