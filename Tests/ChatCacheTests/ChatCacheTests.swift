import ChatCache
import Foundation
import GRDB
import Logging
import Testing
import TestSupport

struct ChatCacheTests {
    @Test func theCacheIsPrivate() throws {
        let cache = try makeCache()
        let attributes = try FileManager.default.attributesOfItem(atPath: cache.directory.path)
        #expect((attributes[.posixPermissions] as? Int) == 0o700)
        let db = try FileManager.default.attributesOfItem(atPath: cache.directory.appendingPathComponent(ChatCache.databaseFileName).path)
        #expect((db[.posixPermissions] as? Int) == 0o600)
    }

    @Test func namesAreStableAndTheOlderDuplicateKeepsThePlainName() throws {
        let cache = try makeCache()
        let first = try cache.applyChatList([
            entry("bbbbbbbb-2", "Printer not working", created: 200),
            entry("aaaaaaaa-1", "Printer not working", created: 100),
        ])
        #expect(first.added.map(\.dirName).sorted() == ["Printer not working", "Printer not working (bbbbbbbb)"])
        #expect(try cache.chat(id: "aaaaaaaa-1")?.dirName == "Printer not working")
        // Same list again: nothing changes, names stay.
        let again = try cache.applyChatList([
            entry("aaaaaaaa-1", "Printer not working", created: 100),
            entry("bbbbbbbb-2", "Printer not working", created: 200),
        ])
        #expect(again.isEmpty)
        #expect(try cache.chat(id: "bbbbbbbb-2")?.dirName == "Printer not working (bbbbbbbb)")
    }

    @Test func renamedAndRemovedChatsAreReported() throws {
        let cache = try makeCache()
        _ = try cache.applyChatList([entry("a", "One", created: 1), entry("b", "Two", created: 2)])
        try cache.storeMessages([message(1)], chatRowID: try #require(try cache.chat(id: "b")).rowID)
        let changes = try cache.applyChatList([entry("a", "Uno", created: 1)])
        #expect(changes.removed.map(\.dirName) == ["Two"])
        #expect(changes.renamed.map(\.old.dirName) == ["One"])
        #expect(changes.renamed.map(\.new.dirName) == ["Uno"])
        #expect(try cache.chats().map(\.dirName) == ["Uno"])
    }

    @Test func storedMessagesRenderExactlyTheirStoredSize() throws {
        let cache = try makeCache()
        _ = try cache.applyChatList([entry("a", "One", created: 1)])
        let chat = try #require(try cache.chat(id: "a"))
        let added = try cache.storeMessages([message(1, sender: nil, text: "System|نظام"), message(2, text: "é <b> & \"q\"")], chatRowID: chat.rowID)
        #expect(added == ["000001-system.txt", "000002-alice.txt"])
        for record in try cache.messages(chatRowID: chat.rowID, afterSequence: 0, limit: 10) {
            #expect(record.renderedBytes().count == record.renderedSize)
        }
        let text = String(decoding: try #require(try cache.message(chatRowID: chat.rowID, sequence: 2)).renderedBytes(), as: UTF8.self)
        #expect(text == "From: Alice Example <alice>\nDate: 2026-02-02T02:40:02Z\nSequence: 2\nMessage-Id: m2\n\né <b> & \"q\"\n")
        // Storing the same page again adds nothing and keeps row ids (inode numbers).
        let rowID = try #require(try cache.message(chatRowID: chat.rowID, sequence: 2)).rowID
        #expect(try cache.storeMessages([message(2, text: "é <b> & \"q\"")], chatRowID: chat.rowID).isEmpty)
        #expect(try cache.message(chatRowID: chat.rowID, sequence: 2)?.rowID == rowID)
    }

    @Test func missingSequencesFindsEveryHole() throws {
        let cache = try makeCache()
        _ = try cache.applyChatList([entry("a", "One", created: 1)])
        let chat = try #require(try cache.chat(id: "a"))
        try cache.storeMessages([1, 2, 5, 6, 9].map { message($0) }, chatRowID: chat.rowID)
        #expect(try cache.missingSequences(chatRowID: chat.rowID, in: 1...10) == [3...4, 7...8, 10...10])
        #expect(try cache.missingSequences(chatRowID: chat.rowID, in: 5...6) == [])
        let state = try cache.syncState(chatRowID: chat.rowID)
        #expect(state.oldestHeld == 1 && state.newestHeld == 9)
    }

    /// A backfill requests its next page before the one before is stored; an eviction may
    /// raise the held range meanwhile. The page is then not stored (it would leave a hole
    /// between it and the held range), and the checkpoint stays as the eviction left it.
    @Test func aHistoryPageIsStoredOnlyWhileTheHeldRangeReachesIt() throws {
        let cache = try makeCache()
        _ = try cache.applyChatList([entry("a", "One", created: 1, lastSequence: 30)])
        let chat = try #require(try cache.chat(id: "a"))
        try cache.storeMessages((21...30).map { message($0) }, chatRowID: chat.rowID)
        try cache.updateSyncState(chatRowID: chat.rowID) { $0.firstSyncedAt = Date() }

        // A window with deleted messages at its bottom: the held range still reaches down to it.
        let added = try cache.storeHistoryPage((15...20).map { message($0) }, chatRowID: chat.rowID, below: 21, continuingBelow: 11)
        #expect(added?.count == 6)
        #expect(try cache.syncState(chatRowID: chat.rowID).oldestHeld == 11)

        try cache.updateSyncState(chatRowID: chat.rowID) { $0.oldestHeld = 25 }  // as an eviction of 11...24 leaves it
        #expect(try cache.storeHistoryPage((1...10).map { message($0) }, chatRowID: chat.rowID, below: 11, continuingBelow: nil) == nil)
        let state = try cache.syncState(chatRowID: chat.rowID)
        #expect(state.oldestHeld == 25 && !state.backfillDone)
        #expect(try cache.missingSequences(chatRowID: chat.rowID, in: 1...10) == [1...10])

        try cache.updateSyncState(chatRowID: chat.rowID) { $0.oldestHeld = 11 }
        #expect(try cache.storeHistoryPage((1...10).map { message($0) }, chatRowID: chat.rowID, below: 11, continuingBelow: nil)?.count == 10)
        #expect(try cache.syncState(chatRowID: chat.rowID).backfillDone)
    }

    @Test func aCacheOfAnotherSchemaVersionIsRebuilt() throws {
        let directory = URL(fileURLWithPath: try makeTemporaryDirectory("chatfs-cache-test"))
        do {
            let cache = try ChatCache(directory: directory, logger: Logger(label: "test"))
            _ = try cache.applyChatList([entry("a", "One", created: 1)])
        }
        let path = directory.appendingPathComponent(ChatCache.databaseFileName).path
        do {
            let queue = try DatabaseQueue(path: path)
            try queue.write { try $0.execute(sql: "UPDATE schemaInfo SET version = 0; CREATE TABLE leftover (x)") }
        }
        let reopened = try ChatCache(directory: directory, logger: Logger(label: "test"))
        #expect(try reopened.chats().isEmpty)
        _ = try reopened.applyChatList([entry("a", "One", created: 1)])
        #expect(try reopened.chats().map(\.dirName) == ["One"])
    }

    @Test func fileNamesSortInConversationOrderAndParseBack() {
        #expect(MessageFormat.fileName(sequence: 42, sender: "alice") == "000042-alice.txt")
        #expect(MessageFormat.fileName(sequence: 1_234_567, sender: "bob") == "1234567-bob.txt")
        #expect(MessageFormat.sequence(inFileName: "000042-alice.txt") == 42)
        #expect(MessageFormat.sequence(inFileName: "42-alice.txt") == nil)
        #expect(MessageFormat.senderName(username: "ev/il\nname") == "ev_il_name")
        #expect(MessageFormat.senderName(username: "..") == "unknown")
        #expect(MessageFormat.senderName(username: nil) == "system")
    }
}
