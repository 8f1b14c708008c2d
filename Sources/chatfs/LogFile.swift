import Foundation
import SystemIntegration
import Locking

/// The detached daemon's log, `chatfs.log` in the cache directory: rotated at 10 MB with
/// one older log kept as `chatfs.log.1` (README "Logs").
enum LogFile {
    static let name = "chatfs.log"
    static let maxBytes: Int64 = 10 * 1024 * 1024
    /// Keeps the log (and its size check) alive for the process.
    private static let current = Locked<RotatingLogFile?>(nil)

    /// From now on stderr, and with it every log line, goes to the file.
    static func takeOverStandardError(_ url: URL) {
        do {
            let log = try RotatingLogFile(path: url.path, maxBytes: maxBytes)
            current.withLock { $0 = log }
        } catch {
            // stderr still goes where it went (nowhere, once detached); say so while it may be seen.
            FileHandle.standardError.write(Data("chatfs: \(error)\n".utf8))
        }
    }
}
