import GRDB

extension ChatStore {
    /// One page of a chat's messages plus what the headers and read flags need.
    struct MessagePage: Sendable {
        /// Ascending by sequence.
        var messages: [MessageRecord]
        var totalCount: Int
        var newestSequence: Int64?
        var readStates: [ReadState]
    }

    func messagePage(chatID: String, mode: MessageListingMode) async throws -> MessagePage {
        try await database.read { db in
            let base = MessageRecord.selection + " WHERE m.request_id = ?"
            let rows: [Row]
            switch mode {
            case .delta(let since, let limit):
                rows = try Row.fetchAll(
                    db, sql: base + " AND m.sequence_number > ? ORDER BY m.sequence_number LIMIT ?",
                    arguments: [chatID, since, limit])
            case .range(let start, let end):
                rows = try Row.fetchAll(
                    db, sql: base + " AND m.sequence_number BETWEEN ? AND ? ORDER BY m.sequence_number",
                    arguments: [chatID, start, end])
            case .cursor(let before, let limit):
                rows = try Row.fetchAll(
                    db, sql: base + " AND m.sequence_number < ? ORDER BY m.sequence_number DESC LIMIT ?",
                    arguments: [chatID, before ?? Int64.max, limit]
                ).reversed()
            case .offset(let page, let perPage):
                rows = try Row.fetchAll(
                    db, sql: base + " ORDER BY m.sequence_number DESC LIMIT ? OFFSET ?",
                    arguments: [chatID, perPage, (page - 1) * Int64(perPage)]
                ).reversed()
            }
            let summary = try Row.fetchOne(
                db, sql: "SELECT COUNT(*) AS total, MAX(sequence_number) AS newest FROM messages WHERE request_id = ?",
                arguments: [chatID])
            return MessagePage(
                messages: rows.map(MessageRecord.init(row:)),
                totalCount: summary?["total"] ?? 0,
                newestSequence: summary?["newest"],
                readStates: try Self.readStates(db, chatID: chatID))
        }
    }

    /// Stores a message with the chat's next sequence number.
    ///
    /// With `deduplicate`, a `clientTempID` already used in this chat returns the message
    /// stored first instead of a new one (`isNew` false).
    func appendMessage(
        chatID: String, senderID: String?, content: String, attachment: MessageAttachment = MessageAttachment(),
        clientTempID: String?, deduplicate: Bool, createdAt: ServerTimestamp = .now()
    ) async throws -> (message: MessageRecord, isNew: Bool) {
        try await database.write { db in
            if deduplicate, let clientTempID,
               let existing = try Row.fetchOne(
                   db,
                   sql: MessageRecord.selection
                       + " WHERE m.request_id = ? AND m.client_temp_id = ? ORDER BY m.sequence_number LIMIT 1",
                   arguments: [chatID, clientTempID])
            {
                return (MessageRecord(row: existing), false)
            }
            let id = Self.newID()
            try Self.insertMessage(
                db, id: id, requestID: chatID, senderID: senderID, content: content, attachment: attachment,
                clientTempID: clientTempID, createdAt: createdAt)
            // A message is activity on the request (the technicians' "recently updated" queue).
            try db.execute(
                sql: "UPDATE requests SET updated_at = MAX(updated_at, ?) WHERE id = ?",
                arguments: [createdAt.microseconds, chatID])
            let stored = try Row.fetchOne(db, sql: MessageRecord.selection + " WHERE m.id = ?", arguments: [id])
            guard let stored else { throw DatabaseError(message: "message \(id) vanished after insert") }
            return (MessageRecord(row: stored), true)
        }
    }

    /// Inserts one message with the chat's next sequence number (statements are cached, so
    /// bulk seeding reuses them); returns the sequence.
    @discardableResult
    static func insertMessage(
        _ db: Database, id: String, requestID: String, senderID: String?, content: String,
        attachment: MessageAttachment = MessageAttachment(), clientTempID: String? = nil,
        createdAt: ServerTimestamp, updatedAt: ServerTimestamp? = nil
    ) throws -> Int64 {
        let nextSequence = try db.cachedStatement(
            sql: "SELECT COALESCE(MAX(sequence_number), 0) + 1 FROM messages WHERE request_id = ?")
        let sequence = try Int64.fetchOne(nextSequence, arguments: [requestID]) ?? 1
        let insert = try db.cachedStatement(
            sql: """
                INSERT INTO messages (id, request_id, sender_id, content, sequence_number, is_screenshot,
                    screenshot_file_name, file_name, file_size, file_mime_type, file_id, client_temp_id,
                    created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        try insert.execute(arguments: [
            id, requestID, senderID, content, sequence, attachment.isScreenshot, attachment.screenshotFileName,
            attachment.fileName, attachment.fileSize, attachment.fileMimeType, attachment.fileID, clientTempID,
            createdAt.microseconds, (updatedAt ?? createdAt).microseconds,
        ])
        return sequence
    }
}
