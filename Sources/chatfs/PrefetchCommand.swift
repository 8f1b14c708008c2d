import ArgumentParser
import ChatAPI
import ChatCache
import ChatConfig
import ChatSync
import Dispatch
import Foundation
import Locking

struct PrefetchCommand: AccountCommand {
    static let configuration = CommandConfiguration(
        commandName: "prefetch",
        abstract: "Download chats (and with --media their attachments) into the cache ahead of time.",
        discussion: """
            Goes through the same sync as a visit: each chat's newest page, then its history back to the \
            beginning. Stays within the cache's quota (the one the last mount was given with --cache-size): \
            it stops at 90 % rather than evict anything. Ctrl-C stops after the page in progress (exit 130); \
            reaching the quota exits 3. Works with or without a mount of the same cache. --account takes the \
            server, user and cache of an account of the config file.
            """)

    @Argument(help: "Chats to fetch: directory names or chat ids.")
    var chats: [String] = []

    @Flag(help: "Every chat.")
    var all = false

    @Flag(help: "Attachments too.")
    var media = false

    @Option(help: "An account of the config file to take the server, user and cache from.")
    var account: String?

    @OptionGroup var connection: ServerConnection

    static let isPrefetch = true

    func accountName(in config: ConfigFile?) throws -> String? { account }

    func validate() throws {
        guard all != !chats.isEmpty else { throw ValidationError("name chats to fetch, or give --all (not both)") }
    }

    func run() throws {
        let store = try ChatCache(directory: connection.cacheDirectory(), logger: Log.make("cache", level: "warning"))
        let client = try connection.makeClient(logLevel: "warning")
        try connection.label(store)
        let engine = SyncEngine(service: client, cache: store, logger: Log.make("sync", level: "warning"))
        try engine.refreshChatList()
        let selected = try selectedChats(store)

        var bar = ProgressBar()
        let outcome = try Interrupt.catchingSIGINT { interrupt in
            try Prefetcher(engine: engine).run(selected, media: media, shouldStop: { interrupt.requested }) { bar.show($0) }
        }
        bar.finish()
        let usage = try store.usage().total
        let quota = try store.quotaBytes()
        let used = "\(ByteSize.format(usage)) of \(ByteSize.format(quota)) used"
        switch outcome {
        case .completed:
            print("chatfs: prefetched \(selected.count) chat(s); \(used)")
        case .interrupted:
            print("chatfs: interrupted; what was fetched is kept (\(used))")
            throw ExitCode(ExitStatus.interrupted.rawValue)
        case .quotaReached:
            print("chatfs: stopped: the cache reached 90 % of its quota (\(used)); mount with a larger --cache-size or run 'chatfs cache clear'")
            throw ExitCode(ExitStatus.quotaReached.rawValue)
        }
    }

    private func selectedChats(_ store: ChatCache) throws -> [ChatRecord] {
        if all { return try store.chats() }
        return try chats.map { name in
            guard let chat = try store.chat(dirName: name) ?? store.chat(id: name) else {
                throw CommandFailure(.noInput, "no chat named or with id \"\(name)\" (see 'ls' of the mount or 'chatfs status')")
            }
            return chat
        }
    }
}

/// Ctrl-C sets a flag the prefetch checks between pages, so it stops cleanly.
final class Interrupt: Sendable {
    private let flag = Locked(false)

    var requested: Bool { flag.withLock { $0 } }

    /// Runs `body` with SIGINT turned into `requested` instead of ending the process.
    static func catchingSIGINT<T>(_ body: (Interrupt) throws -> T) rethrows -> T {
        let interrupt = Interrupt()
        signal(SIGINT, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler { interrupt.flag.withLock { $0 = true } }
        source.resume()
        defer {
            source.cancel()
            signal(SIGINT, SIG_DFL)
        }
        return try body(interrupt)
    }
}
