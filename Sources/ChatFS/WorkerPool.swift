import Foundation

/// How many libfuse worker threads serve requests: at most `maximum` at once, `idle` of
/// them kept alive between requests (libfuse's `max_threads` / `max_idle_threads`).
///
/// Sized to the machine (docs/design.md, "The worker pool"): every idle worker waits in
/// `read(/dev/fuse)`, and on a 2-core machine ten of them made a warm `cat` of 10,000 files
/// mostly context switches. The pool stays above the cores so that a handler in one of the
/// bounded waits (a first visit, an attachment download) never leaves `ls` without a worker.
public struct WorkerPool: Sendable, Equatable {
    public var maximum: UInt32
    public var idle: UInt32

    public init(maximum: UInt32, idle: UInt32) {
        self.maximum = maximum
        self.idle = idle
    }

    /// The pool for a machine with `cores` online CPUs: as many workers as the maximum,
    /// all kept (libfuse starts one whenever none is free and, with fewer kept idle than
    /// that, ends one after nearly every burst).
    public static func sized(forCores cores: Int) -> WorkerPool {
        let workers = max(minimumMaximum, 2 * UInt32(clamping: max(1, cores)))
        return WorkerPool(maximum: workers, idle: workers)
    }

    /// The pool for this machine.
    public static var forThisMachine: WorkerPool {
        sized(forCores: ProcessInfo.processInfo.activeProcessorCount)
    }

    /// Three handlers in bounded waits at once still leave one worker for an `ls`.
    static let minimumMaximum: UInt32 = 4
    /// libfuse's own names for the two numbers, accepted as `-o` options.
    static let maximumOption = "max_threads"
    static let idleOption = "max_idle_threads"
}
