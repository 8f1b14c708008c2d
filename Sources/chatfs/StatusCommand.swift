import ArgumentParser
import ChatCache
import Foundation
import Logging

struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show a cache's state: server, last sync, sizes, and each chat's sync progress.",
        discussion: "Works whether or not the cache is mounted. --json prints the stable form documented in the README.")

    @OptionGroup var cache: CacheOptions

    @Flag(help: "Print JSON.")
    var json = false

    func run() throws {
        let directory = try cache.existingDirectory()
        let store = try ChatCache(directory: directory, logger: Log.make("cache", level: "warning"))
        let status = try store.status()
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            encoder.dateEncodingStrategy = .iso8601
            print(String(decoding: try encoder.encode(status), as: UTF8.self))
        } else {
            print("cache:       \(directory.path)")
            print(ChatCache.render(status), terminator: "")
        }
    }
}
