import ArgumentParser
import ChatAPI
import ChatCache
import ChatConfig
import ChatFS
import ChatOutbox
import ChatSync
import Foundation
import Logging
import SystemIntegration

struct MountCommand: AccountCommand {
    static let configuration = CommandConfiguration(
        commandName: "mount",
        abstract: "Mount a user's chats at MOUNTPOINT.",
        usage: "chatfs mount [ACCOUNT] MOUNTPOINT [--server URL] [--user NAME | --token-file FILE] [<options>]",
        discussion: """
            ACCOUNT is an account of $XDG_CONFIG_HOME/chatfs/config.toml: its settings are used, options \
            given here override them, and its mount-point is the default MOUNTPOINT, so 'chatfs mount ACCOUNT' \
            may be all it takes ('chatfs config ACCOUNT' shows the result). Without an account, --server and \
            --user (or --token-file, or CHATFS_TOKEN) are needed.

            The mount point must be an empty directory that is not a live chatfs mount; a chatfs mount left \
            dead by a crash there is unmounted first. With no cache yet the mount waits for the login and the \
            chat list, and fails if the server is unreachable; with a cache it serves the cache at once and \
            connects behind it (offline while the server cannot be reached).

            Without --foreground, chatfs detaches once the mount is live (a failure is reported before it \
            detaches) and logs to chatfs.log in the cache directory (rotated at 10 MB, one old log kept as \
            chatfs.log.1). Under systemd (NOTIFY_SOCKET set) it stays in the foreground, logs to stderr and \
            reports READY=1 once the mount is live. Stop it with 'chatfs unmount MOUNTPOINT'.

            mount(8) and /etc/fstab (type fuse.chatfs) run it as 'chatfs ACCOUNT MOUNTPOINT -o OPTIONS', where \
            OPTIONS may carry the settings by name: account=NAME, server=URL, username=NAME, poll=SECONDS...
            """)

    @Argument(help: ArgumentHelp("An account of the config file, or the mount point.", valueName: "account-or-mount-point"))
    var target: String

    @Argument(help: "The mount point, after an account (default: the account's mount-point).")
    var mountPoint: String?

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

    @Flag(name: .customLong("allow-non-empty"), help: "Mount over a directory that has files in it (they are hidden until unmounted); the same as -o nonempty.")
    var allowNonEmpty = false

    @Option(name: .customShort("o"), help: "FUSE mount options, comma separated (allow_other, ro, nonempty, max_threads=N, max_idle_threads=N...).")
    var fuseOptions: [String] = []

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning or error.")
    var logLevel: String = "info"

    /// Set on the detached child: its stdout is the pipe the parent waits on.
    @Flag(name: .customLong("detached-child"), help: .hidden)
    var detachedChild = false

    static let isPrefetch = false

    func validate() throws {
        guard poll > 0, historyTTLDays > 0 else { throw ValidationError("--poll and --history-ttl-days must be positive") }
        guard sendDelay >= 0, sendDelay <= 3600 else { throw ValidationError("--send-delay must be between 0 and 3600 seconds") }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("unknown --log-level \(logLevel)") }
    }

    /// Two operands: the first is an account. One: an account when the config file has
    /// one by that name, else the mount point.
    func accountName(in config: ConfigFile?) throws -> String? {
        if mountPoint != nil { return target }
        return config?.accounts[target] != nil ? target : nil
    }

    func resolvedMountPoint() throws -> String {
        if let mountPoint { return mountPoint }
        guard let name = try accountName(in: UserConfig.file()) else { return target }
        guard let path = try UserConfig.file()?.account(named: name).mountPoint else {
            throw ValidationError("account \(name) has no mount-point in \(UserConfig.path): give one, chatfs mount \(name) DIRECTORY")
        }
        return path
    }

    var mountConfiguration: MountConfiguration {
        get throws {
            try MountConfiguration(mountPoint: resolvedMountPoint(), fuseOptions: fuseOptions.flatMap { $0.split(separator: ",").map(String.init) },
                                   debug: Logger.Level(rawValue: logLevel) == .trace)
        }
    }

    func run() throws {
        let mountConfiguration = try self.mountConfiguration
        // Checked before detaching, so that a usage error is the parent's, with its usage text.
        _ = try connection.serverURL()
        _ = try connection.credentials()
        let notifier = ServiceNotifier()
        if !foreground && !detachedChild && notifier == nil {
            try Detacher.runDetached(arguments: Array(CommandLine.arguments.dropFirst()) + ["--detached-child"])
            return
        }
        if detachedChild { Detacher.leaveTerminalSession() }
        let mountPoint = mountConfiguration.mountPoint
        let logger = Log.make("mount", level: logLevel)
        try MountPointCheck.prepare(mountPoint, allowNonEmpty: allowNonEmpty || mountConfiguration.allowsNonEmpty, logger: logger)

        let directory = try connection.cacheDirectory()
        let newCache = NewCacheDirectory(directory)
        let cacheStore = try newCache.removedOnFailure { try ChatCache(directory: directory, logger: Log.make("cache", level: logLevel)) }
        let changes = ChangeFeed()
        // A cache that has had a chat list is served at once; the login and the list come
        // in behind it. An empty cache waits for them (docs/design.md, "Startup").
        let cachedSince = try FirstSync.cachedSince(cacheStore)
        let logsIn = connection.user != nil && connection.tokenFile == nil
        let (client, engine, outbox, offlineSince) = try newCache.removedOnFailure {
            let client = try connection.makeClient(logLevel: logLevel)
            try connection.label(cacheStore)
            try cacheStore.setQuota(bytes: cacheSize.bytes)
            let outbox = Outbox(cache: cacheStore, service: client, username: connection.user,
                                configuration: OutboxConfiguration(sendDelay: .milliseconds(Int(sendDelay * 1000))),
                                changes: changes, logger: Log.make("outbox", level: logLevel))
            let engine = SyncEngine(service: client, cache: cacheStore, configuration: syncConfiguration, changes: changes,
                                    onReconnect: { outbox.wake() }, logger: Log.make("sync", level: logLevel))
            if cachedSince != nil {
                engine.setTechnician(UserRole.stored(in: cacheStore))
                return (client, engine, outbox, Date?.none)
            }
            engine.setTechnician(UserRole.isTechnician(client: client, logsIn: logsIn, cache: cacheStore, logger: logger))
            return (client, engine, outbox, try FirstSync.run(engine, cache: cacheStore, server: connection.serverURL(), logger: logger))
        }

        let filesystem = ChatFilesystem(cache: cacheStore, sync: engine, outbox: outbox, changes: changes,
                                        logger: Log.make("fs", level: logLevel))
        try newCache.removedOnFailure { try filesystem.mount(mountConfiguration) }
        let chatCount = (try? cacheStore.chats().count) ?? 0
        var summary = "mounted \(chatCount) chats of \(connection.userName) at \(mountPoint)"
        if let offlineSince {
            summary += " (offline, serving the cache from \(MessageFormat.dateString(offlineSince)))"
        } else if let cachedSince {
            summary += " (serving the cache from \(MessageFormat.dateString(cachedSince)) while it connects)"
        }
        logger.notice("\(summary)")
        if detachedChild {
            Detacher.reportReady(summary)
            LogFile.takeOverStandardError(directory.appendingPathComponent(LogFile.name))
        }
        do {
            try notifier?.ready(status: summary)
        } catch {
            logger.warning("\(error)")
        }

        let services = SyncServices(engine: engine, outbox: outbox)
        if cachedSince != nil {
            let server = try connection.serverURL()
            let connect = Thread {
                engine.setTechnician(UserRole.isTechnician(client: client, logsIn: logsIn, cache: cacheStore, logger: logger))
                FirstSync.inBackground(engine, cache: cacheStore, server: server, logger: logger)
                services.start()
            }
            connect.name = "chatfs-connect"
            connect.start()
        } else {
            services.start()
        }
        let result = filesystem.run()
        try? notifier?.stopping(status: "unmounted \(mountPoint); stopping")
        services.stop()
        logger.notice("unmounted \(mountPoint)")
        // libfuse's loop returns the signal's number after SIGINT/SIGTERM/SIGHUP: a clean stop.
        if ![0, SIGINT, SIGTERM, SIGHUP].contains(result) { throw ExitCode(result) }
    }

    var syncConfiguration: SyncConfiguration {
        var configuration = SyncConfiguration()
        configuration.pollInterval = .milliseconds(Int(poll * 1000))
        configuration.idlePollInterval = max(configuration.idlePollInterval, configuration.pollInterval)
        configuration.historyTTL = .seconds(historyTTLDays * 24 * 3600)
        return configuration
    }
}
