import ArgumentParser
import Foundation

struct SyncCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Wait until every queued message of a mount is sent or failed, then summarize.",
        discussion: "The same barrier as fsync on the mount's root or an outbox directory.")

    @Argument(help: "The mount point (default: the current directory's mount).")
    var mountPoint: String = "."

    func run() throws {
        let root = try MountPoint.root(of: mountPoint)
        // The barrier is fsync on a directory of the mount. The kernel holds that directory's
        // lock while it waits, so use .chatfs rather than the root: `ls` of the root stays free.
        let barrier = root + "/.chatfs"
        let fd = open(barrier, O_RDONLY | O_DIRECTORY)
        guard fd >= 0 else { throw ValidationError("cannot open \(barrier): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw ValidationError("sync of \(root) failed: \(String(cString: strerror(errno)))") }
        let status = try MountPoint.status(of: root)
        let sends = status.split(separator: "\n").first { $0.hasPrefix("sends:") } ?? "sends: unknown"
        print("chatfs: all queued messages handled; \(sends.dropFirst("sends:".count).trimmingCharacters(in: .whitespaces))")
        let failed = status.split(separator: "\n").drop { !$0.hasPrefix("outbox  ") }.dropFirst().filter { $0.contains("  failed  ") }
        for line in failed { print("  failed: \(line)") }
        if !failed.isEmpty { throw ExitCode(1) }
    }
}

/// Finding a chatfs mount from a path inside it.
enum MountPoint {
    /// The chatfs mount that contains `path` (its `.chatfs/status` exists).
    static func root(of path: String) throws -> String {
        var url = URL(fileURLWithPath: path).standardizedFileURL
        while true {
            if FileManager.default.fileExists(atPath: url.appendingPathComponent(".chatfs/status").path) { return url.path }
            let parent = url.deletingLastPathComponent()
            if parent.path == url.path { throw ValidationError("\(path) is not inside a chatfs mount") }
            url = parent
        }
    }

    static func status(of root: String) throws -> String {
        try String(contentsOfFile: root + "/.chatfs/status", encoding: .utf8)
    }
}
