import ArgumentParser
import ChatAPI
import ChatCache
import ChatFS
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

    @Option(help: "The Support Center server, e.g. https://support.example.com (plain http only to loopback).")
    var server: String

    @Option(help: "Log in as this user (passwordless /auth/login).")
    var user: String?

    @Option(name: .customLong("token-file"), help: "A 0600 file holding a bearer token (deployments whose login needs a password or SSO).")
    var tokenFile: String?

    @OptionGroup var cache: CacheOptions

    @Option(help: "Seconds between chat-list polls while the mount is in use.")
    var poll: Double = 5

    @Option(name: .customLong("history-ttl-days"), help: "Fetch a chat's history again after this many days.")
    var historyTTLDays: Double = 7

    @Option(name: .customLong("cache-size"), help: "The cache's quota, messages and attachments together: 100M, 2G, 500000 (K, M, G are powers of 1024; KB, MB, GB of 1000).")
    var cacheSize = CacheSize(bytes: CacheQuota.defaultBytes)

    @Option(name: .customLong("request-timeout"), help: "Seconds one HTTP request may take (the deployed backend can take 30 s under load).")
    var requestTimeout: Double = 60

    @Flag(name: .customLong("allow-insecure-http"), help: "Allow plain http to a host that is not loopback (the token travels in clear).")
    var allowInsecureHTTP = false

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
        guard URL(string: server)?.host != nil else { throw ValidationError("--server must be a URL like https://host[:port]") }
        guard user != nil || tokenFile != nil || ProcessInfo.processInfo.environment["CHATFS_TOKEN"] != nil else {
            throw ValidationError("give --user NAME, --token-file FILE, or CHATFS_TOKEN in the environment")
        }
        guard poll > 0, requestTimeout > 0, historyTTLDays > 0 else { throw ValidationError("--poll, --request-timeout and --history-ttl-days must be positive") }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("unknown --log-level \(logLevel)") }
    }

    func run() throws {
        if !foreground && !detachedChild {
            try Detacher.runDetached(arguments: Array(CommandLine.arguments.dropFirst()) + ["--detached-child"])
            return
        }
        if detachedChild { Detacher.leaveTerminalSession() }
        let serverURL = URL(string: server)!
        let credentials = try resolveCredentials()
        let userName = user ?? "token"
        let directory = cache.directory(server: serverURL, user: userName)

        let cacheStore = try ChatCache(directory: directory, logger: Log.make("cache", level: logLevel))
        let logger = Log.make("mount", level: logLevel)
        let client = try ChatClient(
            server: serverURL, credentials: credentials,
            tokenStore: FileTokenStore(path: directory.appendingPathComponent("token").path),
            allowInsecureHTTP: allowInsecureHTTP, requestTimeout: requestTimeout, logger: Log.make("api", level: logLevel))
        try cacheStore.setMeta(.server, server)
        try cacheStore.setMeta(.user, userName)
        try cacheStore.setQuota(bytes: cacheSize.bytes)

        var configuration = SyncConfiguration()
        configuration.pollInterval = .milliseconds(Int(poll * 1000))
        configuration.idlePollInterval = max(configuration.idlePollInterval, configuration.pollInterval)
        configuration.historyTTL = .seconds(historyTTLDays * 24 * 3600)
        let engine = SyncEngine(service: client, cache: cacheStore, username: user, configuration: configuration, logger: Log.make("sync", level: logLevel))

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
        let filesystem = ChatFilesystem(cache: cacheStore, engine: engine, logger: Log.make("fs", level: logLevel))
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
        let result = filesystem.run()
        engine.stop()
        logger.notice("unmounted \(mountPoint)")
        // libfuse's loop returns the signal's number after SIGINT/SIGTERM/SIGHUP: a clean stop.
        if ![0, SIGINT, SIGTERM, SIGHUP].contains(result) { throw ExitCode(result) }
    }

    private func resolveCredentials() throws -> Credentials {
        if let tokenFile { return .token(try TokenFile.read(tokenFile)) }
        if let user { return .username(user) }
        return .token(ProcessInfo.processInfo.environment["CHATFS_TOKEN"]!.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}

enum MountError: Error, CustomStringConvertible {
    case server(String)
    case tokenFile(String)
    case detach(String)

    var description: String {
        switch self {
        case .server(let message): "the server refused: \(message)"
        case .tokenFile(let message): message
        case .detach(let message): message
        }
    }
}

enum TokenFile {
    /// Reads a bearer token, refusing a file other users can read.
    static func read(_ path: String) throws -> String {
        var info = stat()
        guard stat(path, &info) == 0 else { throw MountError.tokenFile("cannot read the token file \(path): \(String(cString: strerror(errno)))") }
        guard info.st_mode & 0o077 == 0 else {
            throw MountError.tokenFile("the token file \(path) is readable by others: chmod 600 \(path)")
        }
        let token = try String(contentsOfFile: path, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty else { throw MountError.tokenFile("the token file \(path) is empty") }
        return token
    }
}
