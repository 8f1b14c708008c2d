import ChatAPI
import ChatCache
@testable import ChatOutbox
import Foundation
import Logging
import Testing

/// An outbox file's mtime moves with its content only, as on a local disk: close()
/// queueing what an fsync already stored does not move it. (vim stats its file before
/// close and again before the next save; a moved mtime made it find the file "changed since
/// reading" and skip the second save: RELIABILITY.md, 2026-12-02.)
@Suite struct ModifiedTimeTests {
    let clock = TestClock()
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("chatfs-outbox-\(UUID().uuidString)")

    func makeOutbox() throws -> (Outbox, chatID: String) {
        let server = FakeOutboxServer(deduplicates: false, clock: clock)
        let logger = Logger(label: "chatfs-tests")
        let cache = try ChatCache(directory: directory, logger: logger)
        _ = try cache.applyChatList([ChatListEntry(id: server.chatID, title: "Fake", status: "Open", createdAt: clock.now,
                                                   lastMessageAt: nil, lastMessageSequence: 1, unreadCount: 0)])
        var configuration = OutboxConfiguration(sendDelay: .seconds(45))
        configuration.now = { [clock] in clock.now }
        let outbox = Outbox(cache: cache, service: server, username: "alice", configuration: configuration,
                            changes: ChangeFeed(), logger: logger)
        return (outbox, server.chatID)
    }

    @Test func closingWhatAnFsyncStoredKeepsTheMtime() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let (outbox, chatID) = try makeOutbox()
        let item = try outbox.create(chatID: chatID, name: "v.txt")
        clock.advance(by: 1)
        try outbox.saveUncommitted(rowID: item.rowID, content: Array("first\n".utf8))
        let synced = try #require(try outbox.items(chatID: chatID).first).modifiedAt
        #expect(synced == clock.now)

        clock.advance(by: 1)
        try outbox.commit(rowID: item.rowID, content: Array("first\n".utf8))
        #expect(try outbox.items(chatID: chatID).first?.modifiedAt == synced, "close() after fsync")

        clock.advance(by: 1)
        _ = try outbox.beginWriting(rowID: item.rowID)
        try outbox.commit(rowID: item.rowID, content: Array("second\n".utf8))
        #expect(try outbox.items(chatID: chatID).first?.modifiedAt == clock.now, "new content moves it")
    }
}
