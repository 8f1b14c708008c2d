import ArgumentParser
import ChatAPI
import ChatCache
import ChatFS
import ChatOutbox
import ChatSync
import Foundation
import Logging

struct MountCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mount",
        abstract: "Mount a user's chats at MOUNTPOINT.",
        discussion: """
            Without --foreground, chatfs detaches once the mount is live (a failure is reported \
            before it detaches) and logs to chatfs.log in the cache directory. Stop it with \
            'chatfs unmount MOUNTPOINT'.
            """)

    @Argument(help: "An empty directory to mount on.")
    var mountPoint: String

    @OptionGroup var connection: ServerConnection

    @Option(help: "Seconds between chat-list polls while the mount is in use.")
    var poll: Double = 5

    @Option(name: .customLong("history-ttl-days"), help: "Fetch a chat's history again after this many days.")
    var historyTTLDays: Double = 7

    @Option(name: .customLong("cache-size"), help: "The cache's quota, messages and attachments together: 100M, 2G, 500000 (K, M, G are powers of 1024; KB, MB, GB of 1000).")
    var cacheSize = CacheSize(bytes: CacheQuota.defaultBytes)

    @Option(name: .customLong("send-delay"), help: "Seconds a closed outbox file waits before it is sent; within them a rewrite, a rename over it or rm changes or cancels it (0 sends at once).")
    var sendDelay: Double = 2

    @Flag(help: "Stay in the foreground and log to the terminal.")
    var foreground = false

    @Option(name: .customShort("o"), help: "Extra FUSE mount options, comma separated.")
    var fuseOptions: [String] = []

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning or error.")
    var logLevel: String = "info"

    /// Set on the detached child: its stdout is the pipe the parent waits on.
    @Flag(name: .customLong("detached-child"), help: .hidden)
    var detachedChild = false

    func validate() throws {
        guard poll > 0, historyTTLDays > 0 else { throw ValidationError("--poll and --history-ttl-days must be positive") }
        guard sendDelay >= 0, sendDelay <= 3600 else { throw ValidationError("--send-delay must be between 0 and 3600 seconds") }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("unknown --log-level \(logLevel)") }
    }

    func run() throws {
        if !foreground && !detachedChild {
            try Detacher.runDetached(arguments: Array(CommandLine.arguments.dropFirst()) + ["--detached-child"])
            return
        }
        if detachedChild { Detacher.leaveTerminalSession() }
        let directory = connection.cacheDirectory
        let userName = connection.userName
        let cacheStore = try ChatCache(directory: directory, logger: Log.make("cache", level: logLevel))
        let logger = Log.make("mount", level: logLevel)
        let client = try connection.makeClient(logLevel: logLevel)
        try connection.label(cacheStore)
        try cacheStore.setQuota(bytes: cacheSize.bytes)

        var configuration = SyncConfiguration()
        configuration.pollInterval = .milliseconds(Int(poll * 1000))
        configuration.idlePollInterval = max(configuration.idlePollInterval, configuration.pollInterval)
        configuration.historyTTL = .seconds(historyTTLDays * 24 * 3600)
        let changes = ChangeFeed()
        let outbox = Outbox(cache: cacheStore, service: client, username: connection.user,
                            configuration: OutboxConfiguration(sendDelay: .milliseconds(Int(sendDelay * 1000))),
                            changes: changes, logger: Log.make("outbox", level: logLevel))
        let engine = SyncEngine(service: client, cache: cacheStore, configuration: configuration, changes: changes,
                                onReconnect: { outbox.wake() }, logger: Log.make("sync", level: logLevel))

        engine.setTechnician(UserRole.isTechnician(client: client, logsIn: connection.user != nil && connection.tokenFile == nil,
                                                   cache: cacheStore, logger: logger))
        do {
            try engine.refreshChatList()
        } catch let error as APIError where error.isOffline {
            logger.warning("server unreachable (\(error)); mounting the cached chats")
        } catch let error as APIError {
            if case .retryable = error {
                logger.warning("chat list unavailable (\(error)); mounting the cached chats")
            } else {
                throw MountError.server("\(error)")
            }
        }

        try StaleMount.clear(at: mountPoint, logger: logger)
        let filesystem = ChatFilesystem(cache: cacheStore, sync: engine, outbox: outbox, changes: changes,
                                        logger: Log.make("fs", level: logLevel))
        try filesystem.mount(MountConfiguration(
            mountPoint: mountPoint, fuseOptions: fuseOptions.flatMap { $0.split(separator: ",").map(String.init) },
            debug: Logger.Level(rawValue: logLevel) == .trace))
        let chatCount = (try? cacheStore.chats().count) ?? 0
        logger.notice("mounted \(chatCount) chats of \(userName) at \(mountPoint)")
        if detachedChild {
            Detacher.reportReady("mounted \(chatCount) chats of \(userName) at \(mountPoint)")
            Detacher.redirectLogs(to: directory.appendingPathComponent("chatfs.log"))
        }

        engine.start()
        outbox.start()
        let result = filesystem.run()
        outbox.stop(timeout: .seconds(5))
        engine.stop()
        logger.notice("unmounted \(mountPoint)")
        // libfuse's loop returns the signal's number after SIGINT/SIGTERM/SIGHUP: a clean stop.
        if ![0, SIGINT, SIGTERM, SIGHUP].contains(result) { throw ExitCode(result) }
    }
}

enum MountError: Error, CustomStringConvertible {
    case server(String)

    var description: String {
        switch self {
        case .server(let message): "the server refused: \(message)"
        }
    }
}
