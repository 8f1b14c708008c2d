/// How to mount: where, extra libfuse `-o` options (the worker pool's among them), and
/// libfuse's debug trace.
public struct MountConfiguration: Sendable {
    public var mountPoint: String
    /// Extra "-o" options, already split on ",", passed to libfuse after the defaults
    /// (`fsname=chatfs,subtype=chatfs,default_permissions`; never `allow_other` unless given).
    public var fuseOptions: [String]
    /// libfuse `-d`: every request and reply on stderr.
    public var debug: Bool

    public init(mountPoint: String, fuseOptions: [String] = [], debug: Bool = false) {
        self.mountPoint = mountPoint
        self.fuseOptions = fuseOptions
        self.debug = debug
    }

    /// The mount table lists chatfs as `fuse.chatfs`.
    static let subtype = "chatfs"
    static let defaultOptions = "fsname=chatfs,subtype=\(subtype),default_permissions"
    /// fuse2's option to mount over files; libfuse 3 always allows it, so chatfs checks it
    /// itself (`MountPointCheck`) and never passes it on.
    static let nonEmptyOption = "nonempty"

    /// `-o nonempty` was given.
    public var allowsNonEmpty: Bool { fuseOptions.contains(Self.nonEmptyOption) }

    /// The machine's pool, with `-o max_threads=N` / `-o max_idle_threads=N` applied (the
    /// loop's settings, not the session's: libfuse's session parser would refuse them).
    public var workerPool: WorkerPool {
        get throws {
            var pool = WorkerPool.forThisMachine
            for option in fuseOptions {
                let parts = option.split(separator: "=", maxSplits: 1).map(String.init)
                guard parts.count == 2, parts[0] == WorkerPool.maximumOption || parts[0] == WorkerPool.idleOption else { continue }
                guard let value = UInt32(parts[1]), value > 0 else {
                    throw MountError.invalidOptions(reason: "\(parts[0]) must be a positive number, not \(parts[1])")
                }
                if parts[0] == WorkerPool.maximumOption { pool.maximum = value } else { pool.idle = value }
            }
            // An idle worker above the maximum could never exist.
            pool.idle = min(pool.idle, pool.maximum)
            return pool
        }
    }

    private static func isWorkerPoolOption(_ option: String) -> Bool {
        option.hasPrefix(WorkerPool.maximumOption + "=") || option.hasPrefix(WorkerPool.idleOption + "=")
    }

    /// The argv libfuse parses (argv[0] is only a program name).
    var fuseArguments: [String] {
        var arguments = ["chatfs", "-o", Self.defaultOptions]
        if debug { arguments.append("-d") }
        for option in fuseOptions where !option.isEmpty && option != Self.nonEmptyOption && !Self.isWorkerPoolOption(option) {
            arguments += ["-o", option]
        }
        return arguments
    }
}
