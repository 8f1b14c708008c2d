import ChatCache
import Foundation
import GRDB
import Testing

/// The full-text index: kept in step with every write to `message`, rebuilt with the
/// cache; queries quoted so that plain text never errors out; the filters.
struct SearchTests {
    static let start = Date(timeIntervalSince1970: 1_770_000_000)

    /// Chats "One" and "Two"; `texts` go to "One", one a minute, from alice then bob in turn.
    func cache(_ texts: [String]) throws -> (ChatCache, Int64) {
        let cache = try makeCache()
        try cache.applyChatList([entry("a", "One", created: 1), entry("b", "Two", created: 2)])
        let chat = try #require(try cache.chat(id: "a"))
        try cache.storeMessages(texts.enumerated().map { index, text in
            incoming(index + 1, text: text, sender: index % 2 == 0 ? "alice" : "bob")
        }, chatRowID: chat.rowID)
        return (cache, chat.rowID)
    }

    func incoming(_ sequence: Int, text: String, sender: String = "alice", at date: Date? = nil) -> IncomingMessage {
        IncomingMessage(id: "m\(sequence)", sequence: sequence, senderUsername: sender, senderFullName: nil,
                        createdAt: date ?? Self.start.addingTimeInterval(Double(sequence) * 60), text: text, clientTempID: nil)
    }

    func paths(_ cache: ChatCache, _ text: String, raw: Bool = false) throws -> [String] {
        try cache.search(SearchQuery(text: text, raw: raw)).map(\.path)
    }

    /// FTS5's own check that the index matches the `message` rows.
    func expectIndexIntact(_ cache: ChatCache) throws {
        try cache.durableWrite { db in try db.execute(sql: "INSERT INTO messageText (messageText) VALUES ('integrity-check')") }
    }

    func remove(_ cache: ChatCache) { try? FileManager.default.removeItem(at: cache.directory) }

    @Test func storedMessagesAreFoundAndAnUpdateReplacesTheirWords() throws {
        let (cache, chat) = try cache(["the printer is jammed", "try turning it off", "printer works now"])
        defer { remove(cache) }
        #expect(try paths(cache, "printer") == ["One/000001-alice.txt", "One/000003-alice.txt"])
        #expect(try paths(cache, "bob") == ["One/000002-bob.txt"])  // the sender is indexed too

        try cache.storeMessages([incoming(3, text: "scanner works now")], chatRowID: chat)
        #expect(try paths(cache, "printer") == ["One/000001-alice.txt"])
        #expect(try paths(cache, "scanner") == ["One/000003-alice.txt"])
        try expectIndexIntact(cache)
    }

    @Test func removedMessagesLeaveTheIndex() throws {
        let (cache, chat) = try cache(["alpha one", "alpha two", "alpha three"])
        defer { remove(cache) }
        _ = try cache.replaceMessages(with: [], chatRowID: chat)
        #expect(try paths(cache, "alpha").isEmpty)
        try cache.storeMessages([incoming(1, text: "alpha again")], chatRowID: chat)
        #expect(try paths(cache, "alpha") == ["One/000001-alice.txt"])
        try expectIndexIntact(cache)

        try cache.clear(ClearRange())
        #expect(try paths(cache, "alpha").isEmpty)
        try cache.storeMessages([incoming(2, text: "alpha later")], chatRowID: chat)
        try cache.applyChatList([entry("b", "Two", created: 2)])  // the server no longer lists "One"
        #expect(try paths(cache, "alpha").isEmpty)
        try expectIndexIntact(cache)
    }

    @Test func evictedMessagesLeaveTheIndex() throws {
        let (cache, _) = try cache((1...20).map { "message number \($0) about quotas" })
        defer { remove(cache) }
        try cache.setQuota(bytes: 100)
        let report = try cache.enforceQuota(now: Self.start.addingTimeInterval(86_400)) { _, evict in
            try evict()
            return true
        }
        #expect(report.messages.first?.names.count == 20)
        #expect(try paths(cache, "quotas").isEmpty)
        try expectIndexIntact(cache)
    }

    @Test func aRebuiltCacheHasAFreshIndex() throws {
        let (cache, _) = try cache(["kept until the rebuild"])
        defer { remove(cache) }
        #expect(try paths(cache, "rebuild").count == 1)
        let directory = cache.directory
        try DatabaseQueue(path: directory.appendingPathComponent(ChatCache.databaseFileName).path).write { db in
            try db.execute(sql: "UPDATE schemaInfo SET version = 3")
        }
        let reopened = try ChatCache(directory: directory, logger: .init(label: "test"))
        #expect(try paths(reopened, "rebuild").isEmpty)
        try reopened.applyChatList([entry("a", "One", created: 1)])
        let chat = try #require(try reopened.chat(id: "a"))
        try reopened.storeMessages([incoming(1, text: "indexed after the rebuild")], chatRowID: chat.rowID)
        #expect(try paths(reopened, "rebuild") == ["One/000001-alice.txt"])
        try expectIndexIntact(reopened)
    }

    @Test(arguments: ["don't", "C++", "a:b", "-x", "AND", "OR NOT", "NEAR(", "\"unclosed", "*", "(x", "body:", "^a", "é!?"])
    func plainTextNeverErrs(_ text: String) throws {
        let (cache, _) = try cache(["don't touch the C++ build", "a:b -x AND and or not"])
        defer { remove(cache) }
        _ = try cache.search(SearchQuery(text: text))
    }

    @Test func wordsPhrasesPrefixesAndRawSyntax() throws {
        let (cache, _) = try cache(["the paper jam is back", "jam the paper in", "Café ouvert, don't panic"])
        defer { remove(cache) }
        #expect(try paths(cache, "jam paper").count == 2)  // every word, any order
        #expect(try paths(cache, "\"paper jam\"") == ["One/000001-alice.txt"])  // a phrase
        #expect(try paths(cache, "pap*").count == 2)
        #expect(try paths(cache, "cafe DON'T") == ["One/000003-alice.txt"])  // case and accents ignored
        #expect(try paths(cache, "back OR in", raw: true).count == 2)
        #expect(try paths(cache, "back OR in").isEmpty)  // not raw: OR is a word
        #expect(throws: SearchError.self) { try cache.search(SearchQuery(text: "back OR", raw: true)) }
    }

    @Test func filtersAndLimit() throws {
        let (cache, _) = try cache((1...6).map { "ticket \($0)" })
        defer { remove(cache) }
        let other = try #require(try cache.chat(id: "b"))
        try cache.storeMessages([incoming(1, text: "ticket elsewhere", sender: "carol")], chatRowID: other.rowID)

        #expect(try cache.search(SearchQuery(text: "ticket", chat: "Two")).map(\.path) == ["Two/000001-carol.txt"])
        #expect(try cache.search(SearchQuery(text: "ticket", sender: "bob")).map(\.sequence) == [2, 4, 6])
        #expect(try cache.search(SearchQuery(text: "ticket", since: Self.start.addingTimeInterval(5 * 60))).map(\.sequence) == [5, 6])
        // The newest matches, oldest first.
        #expect(try cache.search(SearchQuery(text: "ticket", chat: "One", limit: 2)).map(\.sequence) == [5, 6])
    }

    @Test func theSnippetIsOneHighlightedLine() throws {
        let (cache, _) = try cache(["first line\nthe printer\nlast line"])
        defer { remove(cache) }
        let hit = try #require(try cache.search(SearchQuery(text: "printer")).first)
        #expect(hit.snippet == "first line the [printer] last line")
        #expect(hit.sender == "alice" && hit.file == "000001-alice.txt" && hit.date == Self.start.addingTimeInterval(60))
    }
}
