import GRDB

@testable import ChatServer

/// An in-memory store with a requester (alice), a technician (bob) and another requester (carol).
struct StoreFixture {
    let store: ChatStore
    let alice: UserRecord
    let bob: UserRecord
    let carol: UserRecord

    init() async throws {
        store = ChatStore(database: try ServerDatabase.open(path: nil))
        let created = ServerTimestamp(microseconds: 1_767_600_000_000_000)
        alice = UserRecord(
            id: ChatStore.newID(), username: "alice", email: "alice@example.com", fullName: "Alice Example",
            title: nil, isActive: true, isTechnician: false, createdAt: created)
        bob = UserRecord(
            id: ChatStore.newID(), username: "bob", email: "bob@example.com", fullName: "Bob Tech", title: nil,
            isActive: true, isTechnician: true, createdAt: created)
        carol = UserRecord(
            id: ChatStore.newID(), username: "carol", email: "carol@example.com", fullName: nil, title: nil,
            isActive: true, isTechnician: false, createdAt: created)
        let users = [alice, bob, carol]
        try await store.database.write { db in
            for user in users { try ChatStore.insertUser(db, user) }
        }
    }

    /// A chat of alice's with `count` messages after the title, alternating bob and alice.
    func chat(title: String = "Chat", messages count: Int = 0, createdAt: ServerTimestamp = .now()) async throws -> String {
        let id = try await store.createChat(title: title, requesterID: alice.id, now: createdAt)
        for index in 0..<count {
            _ = try await store.appendMessage(
                chatID: id, senderID: index.isMultiple(of: 2) ? bob.id : alice.id, content: "message \(index + 2)",
                clientTempID: nil, deduplicate: true)
        }
        return id
    }
}
