import ArgumentParser
import ChatFS
import Foundation

struct SyncCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Wait until every queued message of a mount is sent or failed, then summarize.",
        discussion: """
            The same barrier as fsync on the mount's root or an outbox directory. On a terminal it shows \
            the count of messages still waiting while it waits. Exits 1 when a message failed.
            """)

    @Argument(help: "The mount point, or any path inside it (default: the current directory's mount).")
    var mountPoint: String = "."

    func run() throws {
        let root = try MountedTree.root(containing: mountPoint)
        // The barrier is fsync on a directory of the mount. The kernel holds that directory's
        // lock while it waits, so use .chatfs rather than the root: `ls` of the root stays free.
        // The status file is looked up first: while the barrier waits, opening it again only
        // uses the kernel's cached entry and never needs that lock.
        _ = try MountedTree.status(of: root)
        let barrier = root + "/.chatfs"
        let fd = open(barrier, O_RDONLY | O_DIRECTORY)
        guard fd >= 0 else { throw CommandFailure(.failure, "cannot open \(barrier): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        let progress = SyncProgress(root: root)
        let synced = fsync(fd) == 0
        let error = errno
        progress?.stop()
        guard synced else { throw CommandFailure(.failure, "sync of \(root) failed: \(String(cString: strerror(error)))") }
        let status = try MountedTree.status(of: root)
        print("chatfs: all queued messages handled; \(status.pendingSends) pending, \(status.failedSends) failed")
        let failed = status.sends.filter { $0.state == "failed" }
        for send in failed {
            print("  failed: \(send.chat)/outbox/\(send.name): \(send.lastError ?? "no reason recorded")")
        }
        if !failed.isEmpty { throw ExitCode(ExitStatus.failure.rawValue) }
    }
}
