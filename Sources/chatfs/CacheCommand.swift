import ArgumentParser
import ChatCache
import Foundation

struct CacheCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cache", abstract: "Manage the local cache.", subcommands: [ClearCommand.self])

    struct ClearCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "clear",
            abstract: "Remove cached message bodies and attachments (never the outbox; pinned attachments only with --all).",
            discussion: """
                Without a range everything goes. --older-than, --before and --after select by message time and \
                upload time: --before DATE selects what is older than DATE, --after DATE what is from DATE on, \
                both together the range in between. DATE is 2026-02-10 (midnight UTC) or 2026-02-10T08:15:00Z. Chats keep their directory and fetch \
                their history again on the next visit. Works on a mounted cache too: the mount notices within a \
                poll and the tree updates.
                """)

        @Flag(help: "Also remove the bytes of pinned attachments (they stay pinned and download again on open).")
        var all = false

        @Option(name: .customLong("older-than"), help: "Only what is older than this age: 30d, 12h, 2w.")
        var olderThan: String?

        @Option(help: "Only what is older than DATE.")
        var before: String?

        @Option(help: "Only what is from DATE on.")
        var after: String?

        @OptionGroup var cache: CacheOptions

        func validate() throws {
            if olderThan != nil && before != nil { throw ValidationError("give --older-than or --before, not both") }
            _ = try range()
        }

        func range(now: Date = Date()) throws -> ClearRange {
            do {
                let end = try olderThan.map { now.addingTimeInterval(-(try TimeSpec.age($0))) } ?? before.map(TimeSpec.date)
                let start = try after.map(TimeSpec.date)
                if let start, let end, start >= end { throw ValidationError("--after must be earlier than the end of the range") }
                return ClearRange(from: start, before: end, includePinned: all)
            } catch let error as TimeSpec.ParseError {
                throw ValidationError(error.description)
            }
        }

        func run() throws {
            let directory = try cache.existingDirectory()
            let store = try ChatCache(directory: directory, logger: Log.make("cache", level: "warning"))
            let report = try store.clear(range())
            var summary = "chatfs: freed \(ByteSize.format(report.freedBytes)): \(report.messages) message(s) in \(report.chats) chat(s), "
                + "\(report.mediaFiles) attachment(s) (\(ByteSize.format(report.mediaBytes)))"
            if report.keptPinned > 0 { summary += "; kept \(report.keptPinned) pinned attachment(s) (--all removes them too)" }
            print(summary)
        }
    }
}
