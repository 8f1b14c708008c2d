import Foundation
import GRDB

/// What the sync engine stores. Each call is one transaction: the tree never sees half of
/// a chat list or half of a page.
extension ChatCache {
    /// Makes the stored chat list equal to `entries` (the server's whole list): inserts new
    /// chats (named oldest first), updates known ones, removes the ones the server no
    /// longer lists (with their messages) unless their id is in `keep` (a technician's
    /// chats of queue views not fetched again this time).
    public func applyChatList(_ entries: [ChatListEntry], keep: Set<String> = []) throws -> ChatListChanges {
        try pool.write { db in
            var changes = ChatListChanges()
            var known: [String: ChatRecord] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT \(ChatRecord.columns) FROM chat") {
                let chat = ChatRecord(row: row)
                known[chat.id] = chat
            }
            let listed = Set(entries.map(\.id)).union(keep)
            for chat in known.values where !listed.contains(chat.id) {
                try db.execute(sql: "DELETE FROM chat WHERE rowID = ?", arguments: [chat.rowID])
                changes.removed.append(ChatName(rowID: chat.rowID, dirName: chat.dirName))
            }
            let isTaken = { (name: String) throws -> Bool in
                try Bool.fetchOne(db, sql: "SELECT EXISTS(SELECT 1 FROM chat WHERE dirName = ?)", arguments: [name]) ?? false
            }
            for entry in entries.sorted(by: { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }) {
                let lastMessageAt = entry.lastMessageAt?.timeIntervalSince1970
                guard let old = known[entry.id] else {
                    let name = try uniqueName(entry, isTaken)
                    try db.execute(sql: """
                        INSERT INTO chat (id, title, dirName, status, createdAt, lastMessageAt, serverLastSequence, unreadCount)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                        """, arguments: [entry.id, entry.title, name, entry.status, entry.createdAt.timeIntervalSince1970,
                                         lastMessageAt, entry.lastMessageSequence, entry.unreadCount])
                    changes.added.append(ChatName(rowID: db.lastInsertedRowID, dirName: name))
                    try Self.storeStanding(entry, chatRowID: db.lastInsertedRowID, db)
                    continue
                }
                var name = old.dirName
                if entry.title != old.title {
                    try db.execute(sql: "UPDATE chat SET dirName = ? WHERE rowID = ?", arguments: ["\u{0}renaming", old.rowID])
                    name = try uniqueName(entry, isTaken)
                    if name != old.dirName {
                        changes.renamed.append((ChatName(rowID: old.rowID, dirName: old.dirName), ChatName(rowID: old.rowID, dirName: name)))
                    }
                }
                let unchanged = name == old.dirName && entry.title == old.title && entry.status == old.status
                    && entry.lastMessageSequence == old.serverLastSequence && entry.unreadCount == old.unreadCount
                    && lastMessageAt == old.lastMessageAt?.timeIntervalSince1970
                if try unchanged && Self.standingUnchanged(entry, chatRowID: old.rowID, db) { continue }
                try Self.storeStanding(entry, chatRowID: old.rowID, db)
                try db.execute(sql: """
                    UPDATE chat SET title = ?, dirName = ?, status = ?, lastMessageAt = ?, serverLastSequence = ?, unreadCount = ?
                    WHERE rowID = ?
                    """, arguments: [entry.title, name, entry.status, lastMessageAt, entry.lastMessageSequence,
                                     entry.unreadCount, old.rowID])
                changes.updated.append(old.rowID)
            }
            return changes
        }
    }

    /// Where the chat stands: solved or not, and what a technician triages by.
    private static func storeStanding(_ entry: ChatListEntry, chatRowID: Int64, _ db: Database) throws {
        let triage = entry.triage
        try db.execute(sql: """
            UPDATE chat SET countAsSolved = ?, priority = ?, dueDate = ?, requester = ?, businessUnit = ?, category = ?,
                technicianUnread = ?
            WHERE rowID = ?
            """, arguments: [entry.countAsSolved, triage?.priority, triage?.dueDate?.timeIntervalSince1970, triage?.requester,
                             triage?.businessUnit, triage?.category, triage?.technicianUnread, chatRowID])
    }

    private static func standingUnchanged(_ entry: ChatListEntry, chatRowID: Int64, _ db: Database) throws -> Bool {
        let solved = try Bool.fetchOne(db, sql: "SELECT countAsSolved FROM chat WHERE rowID = ?", arguments: [chatRowID])
        let stored = try triage(chatRowID: chatRowID, db)
        return solved == entry.countAsSolved && stored == entry.triage
    }

    static func triage(chatRowID: Int64, _ db: Database) throws -> ChatTriage? {
        let row = try ChatTriage.fetchOne(db, sql: """
            SELECT priority, dueDate, requester, businessUnit, category, technicianUnread FROM chat WHERE rowID = ?
            """, arguments: [chatRowID])
        return row == ChatTriage(priority: nil, dueDate: nil, requester: nil, businessUnit: nil, category: nil,
                                 technicianUnread: nil) ? nil : row
    }

    private func uniqueName(_ entry: ChatListEntry, _ isTaken: (String) throws -> Bool) throws -> String {
        var failure: (any Error)?
        let name = DirectoryNames.uniqueName(forTitle: entry.title, chatID: entry.id) { candidate in
            do { return try isTaken(candidate) } catch { failure = error; return true }
        }
        if let failure { throw failure }
        return name
    }

    /// Stores messages of one chat (new ones inserted, known sequences updated in place so
    /// their inode numbers stay) and widens the held range. Returns the file names of the
    /// messages that were not held before.
    @discardableResult
    public func storeMessages(_ messages: [IncomingMessage], chatRowID: Int64) throws -> [String] {
        guard !messages.isEmpty else { return [] }
        return try pool.write { db in try Self.insertMessages(messages, chatRowID: chatRowID, db) }
    }

    /// Stores a page of older history fetched below `sequence`, in one transaction with the
    /// checkpoint: the held range then reaches down to `next` (a window of deleted messages
    /// still moves it), or history is complete when `next` is nil. A compare-and-set: when
    /// the held range no longer reaches down to `sequence` (an eviction raised it since the
    /// page was requested), nothing is stored, as the page would leave a hole; returns nil.
    public func storeHistoryPage(_ messages: [IncomingMessage], chatRowID: Int64, below sequence: Int,
                                 continuingBelow next: Int?) throws -> [String]? {
        try pool.write { db in
            let oldestHeld = try Int.fetchOne(
                db.cachedStatement(sql: "SELECT oldestHeld FROM chat WHERE rowID = ? AND firstSyncedAt IS NOT NULL"),
                arguments: [chatRowID])
            guard let oldestHeld, oldestHeld > 0, oldestHeld <= sequence else { return nil }
            let added = try Self.insertMessages(messages, chatRowID: chatRowID, db)
            if let next {
                try db.execute(sql: "UPDATE chat SET oldestHeld = min(oldestHeld, ?) WHERE rowID = ?", arguments: [next, chatRowID])
            } else {
                try db.execute(sql: "UPDATE chat SET backfillDone = 1 WHERE rowID = ?", arguments: [chatRowID])
            }
            return added
        }
    }

    /// Inserts or updates messages. `widenHeldRange` moves the sync checkpoint over them;
    /// a message we sent ourselves must not (messages before it may not be held yet).
    static func insertMessages(_ messages: [IncomingMessage], chatRowID: Int64, widenHeldRange: Bool = true,
                               _ db: Database) throws -> [String] {
        guard !messages.isEmpty else { return [] }
        let insert = try db.cachedStatement(sql: """
            INSERT INTO message (chatRowID, sequence, id, sender, senderFullName, createdAt, body, clientTempID, renderedSize)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (chatRowID, sequence) DO UPDATE SET
                id = excluded.id, sender = excluded.sender, senderFullName = excluded.senderFullName,
                createdAt = excluded.createdAt, body = excluded.body,
                clientTempID = excluded.clientTempID, renderedSize = excluded.renderedSize
            WHERE message.id != excluded.id OR message.body != excluded.body OR message.sender != excluded.sender
            """)
        let exists = try db.cachedStatement(sql: "SELECT EXISTS(SELECT 1 FROM message WHERE chatRowID = ? AND sequence = ?)")
        // Updates reach the full-text index by trigger; new rows here, after the loop (see CacheSchema).
        let index = try db.cachedStatement(sql: "INSERT INTO messageText (rowid, body, sender) VALUES (?, ?, ?)")
        var unindexed: [StatementArguments] = []
        var added: [String] = []
        for message in messages {
            let sender = MessageFormat.senderName(username: message.senderUsername)
            let size = MessageFormat.renderedSize(
                sequence: message.sequence, id: message.id, sender: sender, senderFullName: message.senderFullName,
                createdAt: message.createdAt, body: message.text)
            let wasHeld = try Bool.fetchOne(exists, arguments: [chatRowID, message.sequence]) ?? false
            try insert.execute(arguments: [
                chatRowID, message.sequence, message.id, sender, message.senderFullName,
                message.createdAt.timeIntervalSince1970, message.text, message.clientTempID, size,
            ])
            if !wasHeld {
                unindexed.append([db.lastInsertedRowID, message.text, sender])
                added.append(MessageFormat.fileName(sequence: message.sequence, sender: sender))
            }
        }
        let sequences = messages.map(\.sequence)
        try appendToTranscript(chatRowID: chatRowID, storedUpTo: sequences.max()!, widenHeldRange: widenHeldRange, db)
        for arguments in unindexed { try index.execute(arguments: arguments) }
        guard widenHeldRange else { return added }
        try db.execute(sql: """
            UPDATE chat SET
                newestHeld = max(newestHeld, ?),
                oldestHeld = CASE WHEN oldestHeld = 0 THEN ? ELSE min(oldestHeld, ?) END
            WHERE rowID = ?
            """, arguments: [sequences.max()!, sequences.min()!, sequences.min()!, chatRowID])
        return added
    }

    /// Appends to the chat's transcript, in sequence order, the held messages newer than its
    /// last entry, up to the newest the held range reaches after this store (a message we
    /// sent ourselves, stored outside the held range, only when it comes right after it).
    /// Older history and holes filled after newer messages are never inserted: offsets
    /// never move (docs/design.md, "Transcripts"). Runs before the full-text rows (see
    /// CacheSchema: FTS5 flushes at every statement savepoint).
    private static func appendToTranscript(chatRowID: Int64, storedUpTo newestStored: Int, widenHeldRange: Bool,
                                           _ db: Database) throws {
        guard let chat = try Row.fetchOne(
            db.cachedStatement(sql: "SELECT transcriptTotal, transcriptLast, newestHeld FROM chat WHERE rowID = ?"),
            arguments: [chatRowID]) else { return }
        var total: Int64 = chat[0]
        let last: Int = chat[1]
        let newestHeld: Int = chat[2]
        let upTo = widenHeldRange ? max(newestHeld, newestStored) : newestHeld + 1
        guard upTo > last else { return }
        let entries = try Row.fetchAll(
            db.cachedStatement(sql: """
                SELECT rowID, sequence, renderedSize FROM message
                WHERE chatRowID = ? AND sequence > ? AND sequence <= ? ORDER BY sequence
                """),
            arguments: [chatRowID, last, upTo])
        guard let newest = entries.last else { return }
        let mark = try db.cachedStatement(sql: "UPDATE message SET transcriptEnd = ? WHERE rowID = ?")
        for entry in entries {
            total += Int64(TranscriptFormat.entrySize(renderedSize: entry[2]))
            try mark.execute(arguments: [total, entry[0] as Int64])
        }
        try db.execute(sql: "UPDATE chat SET transcriptTotal = ?, transcriptLast = ? WHERE rowID = ?",
                       arguments: [total, newest[1] as Int, chatRowID])
    }

    /// The runs of sequences in `range` that the cache does not hold.
    public func missingSequences(chatRowID: Int64, in range: ClosedRange<Int>) throws -> [ClosedRange<Int>] {
        let held = try pool.read { db in
            try Int.fetchAll(
                db.cachedStatement(sql: "SELECT sequence FROM message WHERE chatRowID = ? AND sequence BETWEEN ? AND ? ORDER BY sequence"),
                arguments: [chatRowID, range.lowerBound, range.upperBound])
        }
        var gaps: [ClosedRange<Int>] = []
        var expected = range.lowerBound
        for sequence in held {
            if sequence > expected { gaps.append(expected...(sequence - 1)) }
            expected = sequence + 1
        }
        if expected <= range.upperBound { gaps.append(expected...range.upperBound) }
        return gaps
    }

    /// A resync in one transaction: the chat's messages and checkpoint are forgotten and
    /// `messages` (its newest page) stored, so no reader ever sees the chat empty. Every
    /// name goes and comes (row ids, hence inode numbers, are new): returns both lists.
    /// `keepingTranscript`: the messages of its live transcript stay (a resync fetches them
    /// again unchanged), so that `tail -f` neither restarts nor skips; one the server changed
    /// meanwhile restarts it when stored again (docs/design.md).
    public func replaceMessages(with messages: [IncomingMessage], chatRowID: Int64,
                                keepingTranscript: Bool = false) throws -> (removed: [String], added: [String]) {
        let removedRows = "chatRowID = ?" + (keepingTranscript
            ? " AND NOT coalesce(transcriptEnd > (SELECT transcriptOrigin FROM chat WHERE rowID = message.chatRowID), 0)" : "")
        return try pool.write { db in
            let removed = try Row.fetchAll(db, sql: "SELECT sequence, sender FROM message WHERE \(removedRows)", arguments: [chatRowID])
                .map { MessageFormat.fileName(sequence: $0["sequence"], sender: $0["sender"]) }
            try db.execute(sql: "DELETE FROM message WHERE \(removedRows)", arguments: [chatRowID])
            try db.execute(sql: """
                UPDATE chat SET newestHeld = 0, oldestHeld = 0, backfillDone = 0, gapCount = 0,
                    firstSyncedAt = NULL, fullSyncAt = NULL WHERE rowID = ?
                """, arguments: [chatRowID])
            return (removed, try Self.insertMessages(messages, chatRowID: chatRowID, db))
        }
    }

    /// What a message fetched since the chat list was taken says about the server's newest
    /// sequence; never lowers it (compare-and-set in SQL: the poller may store a list).
    public func raiseServerLastSequence(chatRowID: Int64, to sequence: Int) throws {
        try pool.write { db in
            try db.execute(sql: "UPDATE chat SET serverLastSequence = ? WHERE rowID = ? AND serverLastSequence < ?",
                           arguments: [sequence, chatRowID, sequence])
        }
    }

    public func syncState(chatRowID: Int64) throws -> ChatSyncState {
        try pool.read { db in try Self.fetchSyncState(db, chatRowID: chatRowID) }
    }

    /// Reads, changes and writes a chat's checkpoint in one transaction.
    @discardableResult
    public func updateSyncState(chatRowID: Int64, _ change: (inout ChatSyncState) -> Void) throws -> ChatSyncState {
        try pool.write { db in
            var state = try Self.fetchSyncState(db, chatRowID: chatRowID)
            change(&state)
            try db.execute(sql: """
                UPDATE chat SET newestHeld = ?, oldestHeld = ?, backfillDone = ?, gapCount = ?, firstSyncedAt = ?,
                    fullSyncAt = ?, lastSyncedAt = ?, lastVisitedAt = ?, lastError = ?
                WHERE rowID = ?
                """, arguments: [state.newestHeld, state.oldestHeld, state.backfillDone, state.gapCount,
                                 state.firstSyncedAt?.timeIntervalSince1970, state.fullSyncAt?.timeIntervalSince1970,
                                 state.lastSyncedAt?.timeIntervalSince1970, state.lastVisitedAt?.timeIntervalSince1970,
                                 state.lastError, chatRowID])
            return state
        }
    }

    private static func fetchSyncState(_ db: Database, chatRowID: Int64) throws -> ChatSyncState {
        guard let row = try Row.fetchOne(db, sql: """
            SELECT newestHeld, oldestHeld, backfillDone, gapCount, firstSyncedAt, fullSyncAt, lastSyncedAt, lastVisitedAt, lastError
            FROM chat WHERE rowID = ?
            """, arguments: [chatRowID]) else { throw CacheError.unknownChat(chatRowID) }
        var state = ChatSyncState()
        state.newestHeld = row["newestHeld"]
        state.oldestHeld = row["oldestHeld"]
        state.backfillDone = row["backfillDone"]
        state.gapCount = row["gapCount"]
        state.firstSyncedAt = (row["firstSyncedAt"] as Double?).map(Date.init(timeIntervalSince1970:))
        state.fullSyncAt = (row["fullSyncAt"] as Double?).map(Date.init(timeIntervalSince1970:))
        state.lastSyncedAt = (row["lastSyncedAt"] as Double?).map(Date.init(timeIntervalSince1970:))
        state.lastVisitedAt = (row["lastVisitedAt"] as Double?).map(Date.init(timeIntervalSince1970:))
        state.lastError = row["lastError"]
        return state
    }
}
