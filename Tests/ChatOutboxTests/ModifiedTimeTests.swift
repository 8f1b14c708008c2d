@testable import ChatOutbox
import Foundation
import Testing

/// An outbox file's mtime moves with its content only, as on a local disk: close()
/// queueing what an fsync already stored does not move it. (vim stats its file before
/// close and again before the next save; a moved mtime made it find the file "changed since
/// reading" and skip the second save: RELIABILITY.md, 2026-12-02.)
@Suite struct ModifiedTimeTests {
    let clock = TestClock()
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("chatfs-outbox-\(UUID().uuidString)")

    @Test func closingWhatAnFsyncStoredKeepsTheMtime() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = FakeOutboxServer(deduplicates: false, clock: clock)
        let outbox = try server.makeOutbox(in: directory, clock: clock, sendDelay: .seconds(45))
        let chatID = server.chatID
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
