import Logging
import Locking

/// swift-log set up once for the process: everything to stderr (the terminal with
/// --foreground, chatfs.log in the cache directory when detached).
enum Log {
    private static let bootstrapped = Locked(false)

    static func make(_ label: String, level: String) -> Logger {
        bootstrapped.withLock { done in
            if !done { LoggingSystem.bootstrap(StreamLogHandler.standardError) }
            done = true
        }
        var logger = Logger(label: "chatfs.\(label)")
        logger.logLevel = Logger.Level(rawValue: level) ?? .info
        return logger
    }
}
