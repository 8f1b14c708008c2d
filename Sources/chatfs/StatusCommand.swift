import ArgumentParser
import ChatCache
import Foundation
import Logging

struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show a cache's state: server, last sync, sizes, and each chat's sync progress.",
        discussion: """
            Works whether or not the cache is mounted. The tables fit the terminal (long chat names are \
            shortened with "…"); in a pipe names stay whole. --json prints the stable form documented in the \
            README (a mount shows it as .chatfs/status.json).
            """)

    @OptionGroup var cache: CacheOptions

    @Flag(help: "Print JSON.")
    var json = false

    func run() throws {
        let directory = try cache.existingDirectory()
        let store = try ChatCache(directory: directory, logger: Log.make("cache", level: "warning"))
        let status = try store.status()
        if json {
            FileHandle.standardOutput.write(try status.json())
        } else {
            print("cache:       \(directory.path)")
            print(ChatCache.render(status, width: TerminalWidth.ofStandardOutput()), terminator: "")
        }
    }
}
