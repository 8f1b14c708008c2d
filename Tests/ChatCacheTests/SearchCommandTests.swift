import ChatCache
import Foundation
import Testing
import TestSupport

/// `chatfs search` as a user runs it: on a cache alone (no server, no mount).
@Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: Binaries.chatfs), "needs the built chatfs"))
struct SearchCommandTests {
    struct JSONHit: Decodable, Equatable {
        var chat, file, path, sender, date, snippet: String
        var sequence: Int
    }

    /// A cache with chat "Printers" holding three messages, and the directory to remove.
    func seededCache() throws -> URL {
        let directory = URL(fileURLWithPath: try makeTemporaryDirectory("chatfs-search"))
        let cache = try ChatCache(directory: directory, logger: .init(label: "test"))
        try cache.applyChatList([entry("a", "Printers", created: 1)])
        let chat = try #require(try cache.chat(id: "a"))
        try cache.storeMessages([
            message(1, sender: "alice", text: "the printer on floor 2 is jammed"),
            message(2, sender: "bob", text: "did you try turning it off?"),
            message(3, sender: "alice", text: "printer fixed, thanks!"),
        ], chatRowID: chat.rowID)
        return directory
    }

    func search(_ arguments: [String], in cache: URL) throws -> CommandResult {
        try run([Binaries.chatfs, "search"] + arguments + ["--cache-dir", cache.path])
    }

    @Test func printsPathsAndSnippetsOldestFirst() throws {
        let cache = try seededCache()
        defer { try? FileManager.default.removeItem(at: cache) }
        let found = try search(["printer"], in: cache)
        #expect(found.status == 0)
        #expect(found.stdout == """
            Printers/000001-alice.txt: the [printer] on floor 2 is jammed
            Printers/000003-alice.txt: [printer] fixed, thanks!

            """)
        #expect(try search(["turning it off?", "--from", "bob"], in: cache).stdout.hasPrefix("Printers/000002-bob.txt: "))
        let newest = try search(["printer", "--limit", "1"], in: cache)
        #expect(newest.stdout.hasPrefix("Printers/000003-alice.txt: ") && newest.stdout.split(separator: "\n").count == 1)
        #expect(newest.stderr.contains("--limit 0 shows all"))
        #expect(try search(["printer", "--limit", "2"], in: cache).stderr.isEmpty)
    }

    @Test func printsStableJSON() throws {
        let cache = try seededCache()
        defer { try? FileManager.default.removeItem(at: cache) }
        let result = try search(["fixed", "--json"], in: cache)
        #expect(result.status == 0)
        let hits = try JSONDecoder().decode([JSONHit].self, from: Data(result.stdout.utf8))
        #expect(hits == [JSONHit(chat: "Printers", file: "000003-alice.txt", path: "Printers/000003-alice.txt", sender: "alice",
                                 date: "2026-02-02T02:40:03Z", snippet: "printer fixed, thanks!", sequence: 3)])
    }

    @Test func exitStatusTellsNoneFromBad() throws {
        let cache = try seededCache()
        defer { try? FileManager.default.removeItem(at: cache) }
        let none = try search(["scanner"], in: cache)
        #expect(none.status == 1 && none.stdout.isEmpty)
        let noneJSON = try search(["--json", "scanner"], in: cache)
        #expect(noneJSON.status == 1)
        #expect(try JSONDecoder().decode([JSONHit].self, from: Data(noneJSON.stdout.utf8)).isEmpty)
        let bad = try search(["printer AND", "--raw"], in: cache)
        #expect(bad.status == 2 && bad.stderr.contains("invalid query"))
        #expect(try search(["printer", "--since", "yesterday"], in: cache).status == 2)
        #expect(try search(["printer", "--since", "2026-02-01", "--chat", "Printers"], in: cache).status == 0)
        #expect(try search(["printer", "--since", "2026-03-01"], in: cache).status == 1)
    }
}
