import Foundation

/// A `chatfs mount --foreground` child process on a temporary mount point.
public final class ChatfsMount: Sendable {
    public let mountPoint: String
    public let cacheDirectory: String
    private let process: Process
    private let logPath: String
    /// The cache directory was made by `start` (not passed in), so `removeFiles` removes it.
    private let ownsCache: Bool

    /// Mounts `user`'s chats from `server`; returns once the mount is live.
    public static func start(server: ReferenceServer, user: String = "alice", cacheDirectory: String? = nil,
                             poll: Double = 1, extraArguments: [String] = []) throws -> ChatfsMount {
        try start(serverURL: server.url, user: user, cacheDirectory: cacheDirectory, poll: poll, extraArguments: extraArguments)
    }

    public static func start(serverURL: String, user: String = "alice", cacheDirectory: String? = nil,
                             poll: Double = 1, extraArguments: [String] = []) throws -> ChatfsMount {
        let mountPoint = try makeTemporaryDirectory("chatfs-mnt")
        let cache = try cacheDirectory ?? makeTemporaryDirectory("chatfs-cache")
        let ownsCache = cacheDirectory == nil
        let logPath = try makeTemporaryDirectory("chatfs-mount-log") + "/chatfs.log"
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Binaries.chatfs)
        process.arguments = ["mount", mountPoint, "--server", serverURL, "--user", user, "--cache-dir", cache,
                             "--poll", String(poll), "--foreground", "--log-level", "debug"] + extraArguments
        process.standardOutput = FileHandle(forWritingAtPath: logPath)
        process.standardError = FileHandle(forWritingAtPath: logPath)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let mount = ChatfsMount(mountPoint: mountPoint, cacheDirectory: cache, ownsCache: ownsCache, process: process,
                                logPath: logPath)
        let live = eventually(timeout: 60, interval: 0.05) { mount.isMounted || !process.isRunning }
        guard live, mount.isMounted else {
            mount.stop()
            throw TestSupportError.mountDidNotStart(mount.log)
        }
        return mount
    }

    private init(mountPoint: String, cacheDirectory: String, ownsCache: Bool, process: Process, logPath: String) {
        self.ownsCache = ownsCache
        self.mountPoint = mountPoint
        self.cacheDirectory = cacheDirectory
        self.process = process
        self.logPath = logPath
    }

    public var isMounted: Bool {
        let mounts = (try? String(contentsOfFile: "/proc/mounts", encoding: .utf8)) ?? ""
        return mounts.split(separator: "\n").contains { $0.split(separator: " ").dropFirst().first.map(String.init) == mountPoint }
    }

    public var isRunning: Bool { process.isRunning }
    public var pid: Int32 { process.processIdentifier }
    public var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    public func path(_ relative: String) -> String { mountPoint + "/" + relative }

    /// Unmounts and waits for the daemon to exit; kills it (this PID only) and clears the
    /// mount lazily if it does not go within 10 s. Safe to call twice.
    public func stop() {
        if isMounted { _ = try? run(["fusermount3", "-u", mountPoint], timeout: 10) }
        if !eventually(timeout: 10, interval: 0.05, { !process.isRunning }) {
            kill(process.processIdentifier, SIGKILL)
        }
        process.waitUntilExit()
        if isMounted { _ = try? run(["fusermount3", "-uz", mountPoint], timeout: 10) }
    }

    /// kill -9: the daemon dies without unmounting, as in a crash.
    public func crash() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// Stops the mount, then removes what `start` made: the (empty, unmounted) mount point,
    /// the log, and the cache directory unless the caller passed one in. Safe to call twice.
    /// With `CHATFS_KEEP_TEST_FILES=1` everything is kept (its paths on stderr) for a post-mortem.
    public func removeFiles() {
        stop()
        if keepTestFiles {
            FileHandle.standardError.write(Data("kept: mount log \(logPath), cache \(cacheDirectory)\n".utf8))
            return
        }
        guard !isMounted else { return }
        rmdir(mountPoint)  // never a recursive removal: only an empty, unmounted directory goes
        try? FileManager.default.removeItem(atPath: (logPath as NSString).deletingLastPathComponent)
        if ownsCache { try? FileManager.default.removeItem(atPath: cacheDirectory) }
    }
}
