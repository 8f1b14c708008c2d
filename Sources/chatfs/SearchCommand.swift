import ArgumentParser
import ChatCache
import Foundation

struct SearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Find cached messages: prints each match's path in the mount and a snippet, oldest first.",
        discussion: """
            Reads the cache only: works offline, mounted or not. Every word must match (in any order, \
            any letter case, accents ignored); "quoted words" match as a phrase; word* matches a prefix; \
            other punctuation is just text. --raw takes SQLite FTS5 query syntax instead \
            (OR, NOT, NEAR(a b, 5), body:word, sender:alice). Exit status: 0 when something matched, \
            1 when nothing did, 2 for a bad query or option value.
            """)

    @Argument(help: "What to look for.")
    var query: String

    @Flag(help: "The query is SQLite FTS5 syntax (https://sqlite.org/fts5.html#full_text_query_syntax).")
    var raw = false

    @Option(help: "Only in this chat (its directory name or title).")
    var chat: String?

    @Option(help: "Only messages from this user.")
    var from: String?

    @Option(help: "Only messages from DATE on (2026-02-10, 2026-02-10T08:15:00Z) or within an age (12h, 7d).")
    var since: String?

    @Option(help: "Show the newest N matches (0: all).")
    var limit = 100

    @Flag(help: "Print a JSON array of {chat, file, path, sequence, sender, date, snippet}.")
    var json = false

    @Option(help: "The server whose cache to search (with --user; default: the only cache there is).")
    var server: String?

    @Option(help: "The user whose cache to search (with --server).")
    var user: String?

    @OptionGroup var cache: CacheOptions

    func run() throws {
        var hits: [SearchHit]
        do {
            let store = try ChatCache(directory: try directory(), logger: Log.make("cache", level: "warning"))
            hits = try store.search(try searchQuery())
        } catch let error as SearchError {
            throw fail(error.description)
        } catch let error as ValidationError {
            throw fail(error.message)
        }
        // One more than shown was asked for: it says whether older matches were left out.
        if limit > 0 && hits.count > limit {
            hits.removeFirst()
            FileHandle.standardError.write(Data("chatfs search: showing the newest \(limit) matches (--limit 0 shows all)\n".utf8))
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            encoder.dateEncodingStrategy = .iso8601
            print(String(decoding: try encoder.encode(hits), as: UTF8.self))
        } else {
            for hit in hits { print("\(hit.path): \(hit.snippet)") }
        }
        if hits.isEmpty { throw ExitCode(1) }
    }

    func searchQuery(now: Date = Date()) throws -> SearchQuery {
        guard !query.allSatisfy(\.isWhitespace) else { throw ValidationError("the query is empty") }
        guard limit >= 0 else { throw ValidationError("--limit must be 0 or more") }
        let start: Date?
        do {
            start = try since.map { text in
                if let date = try? TimeSpec.date(text) { return date }
                return now.addingTimeInterval(-(try TimeSpec.age(text)))
            }
        } catch {
            throw ValidationError("--since \"\(since ?? "")\" is neither a date (2026-02-10, 2026-02-10T08:15:00Z) nor an age (12h, 7d)")
        }
        return SearchQuery(text: query, raw: raw, chat: chat, sender: from, since: start, limit: limit == 0 ? nil : limit + 1,
                           highlight: json ? ("", "") : ("[", "]"))
    }

    /// The cache of --server and --user, or --cache-dir, or the only one there is; never
    /// a new empty one.
    func directory() throws -> URL {
        let found: URL
        switch (server.flatMap(URL.init(string:)), user) {
        case (nil, nil): found = try cache.existingDirectory()
        case (let server?, let user?) where server.host != nil: found = cache.directory(server: server, user: user)
        default: throw ValidationError("give both --server URL and --user NAME, or neither")
        }
        guard FileManager.default.fileExists(atPath: found.appendingPathComponent(ChatCache.databaseFileName).path) else {
            throw ValidationError("no cache in \(found.path)")
        }
        return found
    }

    /// grep's convention: 2 for anything but "found" (0) and "not found" (1).
    private func fail(_ message: String) -> ExitCode {
        FileHandle.standardError.write(Data("chatfs search: \(message)\n".utf8))
        return ExitCode(2)
    }
}
