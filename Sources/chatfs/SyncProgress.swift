import Dispatch
import Foundation
import Locking

/// `chatfs sync`'s progress while it waits: the count of messages still to send, redrawn
/// in place on stderr when that is a terminal (a pipe gets only the summary).
///
/// `@unchecked Sendable`: `timer` is a dispatch source (thread-safe), the rest is a `let`
/// or a `Locked`.
final class SyncProgress: @unchecked Sendable {
    static let interval: DispatchTimeInterval = .milliseconds(250)

    private let root: String
    private let timer: DispatchSourceTimer
    /// Set by `stop`; a redraw that finished reading after it must not write.
    private let stopped = Locked(false)

    /// Starts redrawing; nil when stderr is not a terminal.
    init?(root: String) {
        guard isatty(STDERR_FILENO) == 1 else { return nil }
        self.root = root
        timer = DispatchSource.makeTimerSource(queue: .global(qos: .utility))
        timer.schedule(deadline: .now(), repeating: Self.interval)
        timer.setEventHandler { [self] in
            guard let status = try? MountedTree.status(of: root) else { return }
            let line = "chatfs: sending… \(status.pendingSends) pending" + (status.failedSends > 0 ? ", \(status.failedSends) failed" : "")
            stopped.withLock { stopped in
                if !stopped { Self.write("\r\u{1B}[K" + line) }
            }
        }
        // A dispatch source must not be released before it was resumed: resume it here,
        // where nothing can fail after it was made.
        timer.resume()
    }

    func stop() {
        stopped.withLock { stopped in
            stopped = true
            Self.write("\r\u{1B}[K")
        }
        timer.cancel()
    }

    private static func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
