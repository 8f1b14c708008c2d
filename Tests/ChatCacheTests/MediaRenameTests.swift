import ChatCache
import Foundation
import GRDB
import Logging
import Testing

/// Media names are kept across a schema rebuild (chat names are made again): one an older
/// rule let through is named again by the rebuild.
struct MediaRenameTests {
    @Test func aRebuildRenamesMediaAnOlderRuleNamedAndKeepsTheOthers() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("chatfs-cache-test-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        do {
            let cache = try ChatCache(directory: directory, logger: Logger(label: "test"))
            _ = try cache.applyChatList([entry("a", "One", created: 1)])
            _ = try cache.applyMediaList(chatID: "a", [
                MediaCacheTests.item(id: 1, name: "report\u{2028}2026.pdf"),
                MediaCacheTests.item(id: 2, name: "plain.pdf"),
            ])
        }
        do {
            // As version 3 stored them: the separator kept.
            let queue = try DatabaseQueue(path: directory.appendingPathComponent(ChatCache.databaseFileName).path)
            try queue.write { db in
                try db.execute(sql: """
                    UPDATE media SET name = '2026-02-10-report' || char(8232) || '2026.pdf' WHERE serverID = 1;
                    UPDATE schemaInfo SET version = 3
                    """)
            }
        }
        let reopened = try ChatCache(directory: directory, logger: Logger(label: "test"))
        #expect(try reopened.media(chatID: "a").map(\.name) == ["2026-02-10-plain.pdf", "2026-02-10-report 2026.pdf"])
    }
}
