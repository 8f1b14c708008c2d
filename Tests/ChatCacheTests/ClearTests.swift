import ChatCache
import Foundation
import Testing

/// `chatfs cache clear`: exactly the chosen range, never the outbox, pins only with --all.
struct ClearTests {
    static let day: TimeInterval = 86_400
    static let start = Date(timeIntervalSince1970: 1_770_000_000)  // 2026-02-02T02:40:00Z

    /// Chat "a" with one message a day for ten days (sequence n on day n-1), and chat "b"
    /// with one attachment a day for ten days.
    func filledCache() throws -> ChatCache {
        let cache = try makeCache()
        _ = try cache.applyChatList([entry("a", "One", created: 1), entry("b", "Two", created: 2)])
        let chat = try #require(try cache.chat(id: "a"))
        try cache.storeMessages((1...10).map {
            IncomingMessage(id: "m\($0)", sequence: $0, senderUsername: "alice", senderFullName: nil,
                            createdAt: Self.start.addingTimeInterval(Double($0 - 1) * Self.day), text: "day \($0)", clientTempID: nil)
        }, chatRowID: chat.rowID)
        try cache.updateSyncState(chatRowID: chat.rowID) { $0.firstSyncedAt = Self.start }
        _ = try cache.applyMediaList(chatID: "b", (1...10).map {
            MediaCacheTests.item(id: $0, name: "f\($0).bin", size: 100, at: Self.start.addingTimeInterval(Double($0 - 1) * Self.day))
        })
        for record in try cache.media(chatID: "b") {
            try storeBlob(cache, record.rowID, bytes: [UInt8](repeating: 1, count: 100))
        }
        return cache
    }

    func heldSequences(_ cache: ChatCache) throws -> [Int] {
        try cache.messages(chatRowID: try #require(try cache.chat(id: "a")).rowID, afterSequence: 0, limit: 100).map(\.sequence)
    }

    func cachedServerIDs(_ cache: ChatCache) throws -> [Int] {
        try cache.media(chatID: "b").filter(\.isCached).map(\.serverID).sorted()
    }

    @Test func aDateRangeRemovesExactlyThatRange() throws {
        let cache = try filledCache()
        // [day 3, day 6): sequences 4, 5, 6 and attachments 4, 5, 6.
        let report = try cache.clear(ClearRange(from: Self.start.addingTimeInterval(3 * Self.day),
                                                before: Self.start.addingTimeInterval(6 * Self.day)))
        #expect(try heldSequences(cache) == [1, 2, 3, 7, 8, 9, 10])
        #expect(try cachedServerIDs(cache) == [1, 2, 3, 7, 8, 9, 10])
        #expect(report.messages == 3 && report.chats == 1 && report.mediaFiles == 3 && report.mediaBytes == 300)
        // The chat fetches its history again on the next visit; its attachments stay listed.
        let chat = try #require(try cache.chat(id: "a"))
        #expect(try cache.syncState(chatRowID: chat.rowID).firstSyncedAt == nil)
        #expect(try cache.media(chatID: "b").count == 10)
    }

    @Test func beforeAndAfterAreOpenEnded() throws {
        let cache = try filledCache()
        _ = try cache.clear(ClearRange(before: Self.start.addingTimeInterval(2 * Self.day)))
        #expect(try heldSequences(cache) == Array(3...10))
        _ = try cache.clear(ClearRange(from: Self.start.addingTimeInterval(8 * Self.day)))
        #expect(try heldSequences(cache) == Array(3...8))
        #expect(try cachedServerIDs(cache) == Array(3...8))
    }

    @Test func pinnedAttachmentsAndTheOutboxSurviveUnlessAll() throws {
        let cache = try filledCache()
        let pinned = try #require(try cache.media(chatID: "b").first { $0.serverID == 2 })
        try cache.setPinned(mediaRowID: pinned.rowID, true)
        // A waiting message, as the outbox (ChatOutbox) stores one.
        try cache.durableWrite { db in
            try db.execute(sql: "INSERT INTO outbox (chatID, name, content, size, state, modifiedAt) VALUES ('a', 'note.txt', x'68656c6c6f', 5, 'waiting', 0)")
        }

        let report = try cache.clear(ClearRange())
        #expect(try heldSequences(cache).isEmpty)
        #expect(try cachedServerIDs(cache) == [2])
        #expect(report.keptPinned == 1 && report.mediaFiles == 9)
        #expect(try cache.read { try String.fetchAll($0, sql: "SELECT name FROM outbox WHERE chatID = 'a'") } == ["note.txt"])
        #expect(try cache.usage() == CacheUsage(messageBytes: 0, mediaBytes: 100))

        let all = try cache.clear(ClearRange(includePinned: true))
        #expect(all.mediaFiles == 1)
        #expect(try cachedServerIDs(cache).isEmpty)
        #expect(try cache.media(rowID: pinned.rowID)?.pinned == true)  // still pinned: downloads again on open
        #expect(try cache.usage().total == 0)
    }

    @Test func aMountIsToldWhatAnotherProcessRemoved() throws {
        let cache = try filledCache()
        #expect(try !cache.hasRemovals())
        _ = try cache.clear(ClearRange(before: Self.start.addingTimeInterval(2 * Self.day)))
        #expect(try cache.hasRemovals())
        let chatA = try #require(try cache.chat(id: "a")).rowID, chatB = try #require(try cache.chat(id: "b")).rowID
        let removals = try cache.takeRemovals()
        #expect(removals == [
            CacheRemoval(chatRowID: chatA, directory: .messages, names: ["000001-alice.txt", "000002-alice.txt"]),
            CacheRemoval(chatRowID: chatB, directory: .media, names: ["2026-02-02-f1.bin", "2026-02-03-f2.bin"]),
        ])
        #expect(try !cache.hasRemovals())
    }

    @Test(arguments: [("30d", 30 * 86_400.0), ("12h", 43_200), ("2w", 1_209_600), ("90m", 5400), ("45s", 45), ("7", 604_800)])
    func agesParse(text: String, seconds: TimeInterval) throws {
        #expect(try TimeSpec.age(text) == seconds)
    }

    @Test func datesParseAsUTC() throws {
        #expect(try TimeSpec.date("2026-02-10") == Date(timeIntervalSince1970: 1_770_681_600))
        #expect(try TimeSpec.date("2026-02-10T08:15:42Z") == Date(timeIntervalSince1970: 1_770_711_342))
        #expect(try TimeSpec.date("2026-02-10T10:15:42+02:00") == Date(timeIntervalSince1970: 1_770_711_342))
        #expect(throws: TimeSpec.ParseError.self) { try TimeSpec.date("10/02/2026") }
        #expect(throws: TimeSpec.ParseError.self) { try TimeSpec.age("soon") }
    }
}
