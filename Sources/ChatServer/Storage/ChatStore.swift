import Foundation
import GRDB

/// Every query the server runs, one transaction per call. Route handlers use this and never
/// write SQL themselves.
struct ChatStore: Sendable {
    let database: any DatabaseWriter

    init(database: any DatabaseWriter) {
        self.database = database
    }

    static func newID() -> String {
        UUID().uuidString.lowercased()
    }

    // MARK: Users and tokens

    func user(username: String) async throws -> UserRecord? {
        try await database.read { db in
            try Row.fetchOne(db, sql: "SELECT \(UserRecord.columns()) FROM users WHERE username = ?", arguments: [username])
                .map(UserRecord.init(row:))
        }
    }

    static func user(_ db: Database, id: String) throws -> UserRecord? {
        try Row.fetchOne(db, sql: "SELECT \(UserRecord.columns()) FROM users WHERE id = ?", arguments: [id])
            .map(UserRecord.init(row:))
    }

    static func insertUser(_ db: Database, _ user: UserRecord) throws {
        try db.execute(
            sql: """
                INSERT INTO users (id, username, email, full_name, title, is_active, is_technician, is_super_admin,
                    created_at, updated_at, last_seen)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                user.id, user.username, user.email, user.fullName, user.title, user.isActive, user.isTechnician,
                user.isSuperAdmin, user.createdAt.microseconds, user.updatedAt.microseconds, user.lastSeen?.microseconds,
            ])
    }

    /// Issues a new opaque bearer token for `userID` and records the login as `last_seen`
    /// (expired tokens are dropped on the way, so the table does not grow with every login).
    func issueToken(userID: String, lifetimeSeconds: Int64, now: ServerTimestamp = .now()) async throws -> String {
        var random = SystemRandomNumberGenerator()
        let token = (0..<4).map { _ in
            let hex = String(random.next() as UInt64, radix: 16)
            return String(repeating: "0", count: 16 - hex.count) + hex
        }.joined()
        try await database.write { db in
            try db.execute(sql: "DELETE FROM tokens WHERE expires_at <= ?", arguments: [now.microseconds])
            try db.execute(
                sql: "INSERT INTO tokens (token, user_id, expires_at) VALUES (?, ?, ?)",
                arguments: [token, userID, now.microseconds + lifetimeSeconds * 1_000_000])
            try db.execute(sql: "UPDATE users SET last_seen = ? WHERE id = ?", arguments: [now.microseconds, userID])
        }
        return token
    }

    /// The active user a token belongs to; nil when the token is unknown, expired or its
    /// user was deactivated.
    func user(token: String, now: ServerTimestamp = .now()) async throws -> UserRecord? {
        try await database.read { db in
            try Row.fetchOne(
                db,
                sql: """
                    SELECT \(UserRecord.columns(of: "u"))
                    FROM tokens t JOIN users u ON u.id = t.user_id
                    WHERE t.token = ? AND t.expires_at > ? AND u.is_active = 1
                    """,
                arguments: [token, now.microseconds]
            ).map(UserRecord.init(row:))
        }
    }

    /// Invalidates every token; returns how many there were.
    func revokeAllTokens() async throws -> Int {
        try await database.write { db in
            try db.execute(sql: "DELETE FROM tokens")
            return db.changesCount
        }
    }

    func isEmpty() async throws -> Bool {
        try await database.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM users") == 0 }
    }

    // MARK: Chats

    func chat(id: String) async throws -> ChatRecord? {
        try await database.read { db in try Self.chat(db, id: id) }
    }

    static func chat(_ db: Database, id: String) throws -> ChatRecord? {
        try Row.fetchOne(
            db, sql: "SELECT id, title, requester_id, status_id, created_at FROM requests WHERE id = ?", arguments: [id]
        ).map(ChatRecord.init(row:))
    }

    /// Creates a request whose sequence 1 is the raw (unsanitized) title from the requester.
    func createChat(
        title: String, requesterID: String, status: RequestStatus = .open, now: ServerTimestamp = .now()
    ) async throws -> String {
        try await createChat(
            TicketRecord(id: Self.newID(), title: title, requesterID: requesterID, status: status, createdAt: now))
    }

    func createChat(_ ticket: TicketRecord) async throws -> String {
        try await database.write { db in try Self.createChat(db, ticket, titleMessageID: Self.newID()) }
    }

    @discardableResult
    static func createChat(_ db: Database, _ ticket: TicketRecord, titleMessageID: String) throws -> String {
        try ticket.insert(db)
        try insertMessage(
            db, id: titleMessageID, requestID: ticket.id, senderID: ticket.requesterId, content: ticket.title,
            createdAt: ticket.createdAt)
        return ticket.id
    }

    /// Changes a request's status (`completedAt` follows); false when it does not exist.
    func setStatus(chatID: String, status: RequestStatus, now: ServerTimestamp = .now()) async throws -> Bool {
        try await database.write { db in
            guard var ticket = try TicketRecord.fetchOne(db, key: chatID) else { return false }
            ticket.setStatus(status, at: now)
            try ticket.update(db)
            return true
        }
    }

    /// Renames a request (a help-desk edit; `/_test` only); false when it does not exist.
    func setTitle(chatID: String, title: String, now: ServerTimestamp = .now()) async throws -> Bool {
        try await database.write { db in
            guard var ticket = try TicketRecord.fetchOne(db, key: chatID) else { return false }
            ticket.title = title
            ticket.updatedAt = now
            try ticket.update(db)
            return true
        }
    }

    /// One row of the chat list: the request, its newest message and the viewer's unread count.
    struct ChatListEntry: Sendable {
        var chat: ChatRecord
        var lastMessage: MessageRecord?
        var messageCount: Int
        var unreadCount: Int
    }

    /// The requests `userID` opened, newest request first (by creation).
    func chatList(requesterID userID: String) async throws -> [ChatListEntry] {
        try await database.read { db in
            let chats = try Row.fetchAll(
                db,
                sql: """
                    SELECT id, title, requester_id, status_id, created_at FROM requests
                    WHERE requester_id = ? ORDER BY created_at DESC, id DESC
                    """,
                arguments: [userID]
            ).map(ChatRecord.init(row:))
            return try chats.map { chat in
                let last = try Self.lastMessage(db, chatID: chat.id)
                let count = try Int.fetchOne(
                    db, sql: "SELECT COUNT(*) FROM messages WHERE request_id = ?", arguments: [chat.id]) ?? 0
                return ChatListEntry(
                    chat: chat, lastMessage: last, messageCount: count,
                    unreadCount: try Self.unreadCount(db, chatID: chat.id, userID: userID))
            }
        }
    }

    static func lastMessage(_ db: Database, chatID: String) throws -> MessageRecord? {
        try Row.fetchOne(
            db, sql: MessageRecord.selection + " WHERE m.request_id = ? ORDER BY m.sequence_number DESC LIMIT 1",
            arguments: [chatID]
        ).map(MessageRecord.init(row:))
    }

    // MARK: Read state

    /// Messages in the chat not sent by `userID` and above the sequence it last read.
    static func unreadCount(_ db: Database, chatID: String, userID: String) throws -> Int {
        let lastRead = try Int64.fetchOne(
            db, sql: "SELECT last_read_sequence FROM read_states WHERE request_id = ? AND user_id = ?",
            arguments: [chatID, userID]) ?? 0
        return try Int.fetchOne(
            db,
            sql: """
                SELECT COUNT(*) FROM messages WHERE request_id = ? AND sequence_number > ?
                AND (sender_id IS NULL OR sender_id != ?)
                """,
            arguments: [chatID, lastRead, userID]) ?? 0
    }

    func unreadState(chatID: String, userID: String) async throws -> (unreadCount: Int, lastReadAt: ServerTimestamp?) {
        try await database.read { db in
            let lastReadAt = try Int64.fetchOne(
                db, sql: "SELECT last_read_at FROM read_states WHERE request_id = ? AND user_id = ?",
                arguments: [chatID, userID])
            return (try Self.unreadCount(db, chatID: chatID, userID: userID), lastReadAt.map(ServerTimestamp.init))
        }
    }

    /// Marks everything in the chat read by `userID`; `markedAt` is the newest message's time.
    func markRead(chatID: String, userID: String) async throws -> (markedAt: ServerTimestamp, previousUnread: Int) {
        try await database.write { db in try Self.markRead(db, chatID: chatID, userID: userID) }
    }

    static func markRead(_ db: Database, chatID: String, userID: String) throws
        -> (markedAt: ServerTimestamp, previousUnread: Int)
    {
        let previous = try unreadCount(db, chatID: chatID, userID: userID)
        let newest = try Row.fetchOne(
            db,
            sql: "SELECT sequence_number, created_at FROM messages WHERE request_id = ? ORDER BY sequence_number DESC LIMIT 1",
            arguments: [chatID])
        let sequence: Int64 = newest?["sequence_number"] ?? 0
        let markedAt = newest.map { ServerTimestamp(microseconds: $0["created_at"]) } ?? .now()
        try db.execute(
            sql: """
                INSERT INTO read_states (request_id, user_id, last_read_sequence, last_read_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (request_id, user_id) DO UPDATE SET
                    last_read_sequence = excluded.last_read_sequence, last_read_at = excluded.last_read_at
                """,
            arguments: [chatID, userID, sequence, markedAt.microseconds])
        return (markedAt, previous)
    }

    func readStates(chatID: String) async throws -> [ReadState] {
        try await database.read { db in try Self.readStates(db, chatID: chatID) }
    }

    static func readStates(_ db: Database, chatID: String) throws -> [ReadState] {
        try Row.fetchAll(
            db, sql: "SELECT user_id, last_read_sequence, last_read_at FROM read_states WHERE request_id = ?",
            arguments: [chatID]
        ).map {
            ReadState(
                userID: $0["user_id"], lastReadSequence: $0["last_read_sequence"],
                lastReadAt: ServerTimestamp(microseconds: $0["last_read_at"]))
        }
    }
}
