import CFuse
import Foundation
import Logging
import Locking

/// Routes libfuse's own messages (bad options, "fuse: device not found", ...) into our
/// logger and remembers the last error, so a failed mount throws a readable reason instead
/// of leaving it on stderr. libfuse's log hook is process-wide and carries no context,
/// hence the static state. Debug traffic (`-d`) still goes to stderr as libfuse prints it.
enum FuseLog {
    private struct State {
        var logger: Logger?
        var lastError: String?
    }

    private static let state = Locked(State())

    static func install(_ logger: Logger) {
        state.withLock { $0.logger = logger }
        fuse_set_log_func { level, format, arguments in
            guard let format, let arguments else { return }
            var buffer = [CChar](repeating: 0, count: 1024)
            let length = vsnprintf(&buffer, buffer.count, format, arguments)
            guard length > 0 else { return }
            let bytes = buffer.prefix(min(Int(length), buffer.count - 1)).map { UInt8(bitPattern: $0) }
            let message = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            FuseLog.record(message, level: level)
        }
    }

    /// The last error libfuse reported since the previous call.
    static func takeLastError() -> String? {
        state.withLock { state in
            defer { state.lastError = nil }
            return state.lastError
        }
    }

    private static func record(_ message: String, level: fuse_log_level) {
        if level == FUSE_LOG_DEBUG {
            FileHandle.standardError.write(Data((message + "\n").utf8))
            return
        }
        let logger = state.withLock { state -> Logger? in
            if level.rawValue <= FUSE_LOG_ERR.rawValue { state.lastError = message }
            return state.logger
        }
        switch level {
        case FUSE_LOG_EMERG, FUSE_LOG_ALERT, FUSE_LOG_CRIT, FUSE_LOG_ERR: logger?.error("libfuse: \(message)")
        case FUSE_LOG_WARNING: logger?.warning("libfuse: \(message)")
        case FUSE_LOG_NOTICE: logger?.notice("libfuse: \(message)")
        default: logger?.info("libfuse: \(message)")
        }
    }
}
