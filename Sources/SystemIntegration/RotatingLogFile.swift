import Dispatch
import Foundation

/// A log file with a size cap: once it passes `maxBytes` it becomes `<path>.1` (replacing
/// the older one) and a new file starts, so the logs never take more than about twice
/// `maxBytes`. It is written through a file descriptor (the daemon's stderr), so that
/// everything written there lands in it: swift-log, libfuse, a crash report.
///
/// `@unchecked Sendable`: the only state that is not a `let` of a Sendable type is the
/// timer, a dispatch source (thread-safe), set up in `init` and cancelled in `deinit`.
public final class RotatingLogFile: @unchecked Sendable {
    public let path: String
    public let maxBytes: Int64
    private let descriptor: Int32
    private let timer: DispatchSourceTimer

    /// Opens `path` (0600, appending) on `descriptor`, rotating it first if it is too large
    /// already, and checks its size every `interval` from then on.
    public init(path: String, maxBytes: Int64, descriptor: Int32 = STDERR_FILENO, checkEvery interval: Duration = .seconds(10)) throws {
        self.path = path
        self.maxBytes = maxBytes
        self.descriptor = descriptor
        if Self.size(ofFile: path) > maxBytes { try Self.rotate(path, onto: descriptor) } else { try Self.open(path, onto: descriptor) }
        // Made only now that nothing can fail: a dispatch source must not be released unresumed.
        timer = DispatchSource.makeTimerSource(queue: .global(qos: .utility))
        let milliseconds = Int(interval.components.seconds * 1000 + interval.components.attoseconds / 1_000_000_000_000_000)
        timer.schedule(deadline: .now() + .milliseconds(milliseconds), repeating: .milliseconds(milliseconds))
        timer.setEventHandler { [weak self] in try? self?.rotateIfNeeded() }
        timer.resume()
    }

    deinit { timer.cancel() }

    public func rotateIfNeeded() throws {
        var info = stat()
        guard fstat(descriptor, &info) == 0, Int64(info.st_size) > maxBytes else { return }
        try Self.rotate(path, onto: descriptor)
    }

    private static func rotate(_ path: String, onto descriptor: Int32) throws {
        if rename(path, path + ".1") != 0 && errno != ENOENT { throw RotationError(path: path, errno: errno) }
        try open(path, onto: descriptor)
    }

    private static func open(_ path: String, onto descriptor: Int32) throws {
        let fd = Glibc.open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw RotationError(path: path, errno: errno) }
        dup2(fd, descriptor)
        close(fd)
    }

    private static func size(ofFile path: String) -> Int64 {
        var info = stat()
        return stat(path, &info) == 0 ? Int64(info.st_size) : 0
    }
}

public struct RotationError: Error, CustomStringConvertible {
    public var path: String
    public var errno: Int32

    public var description: String { "cannot write the log \(path): \(String(cString: strerror(errno)))" }
}
