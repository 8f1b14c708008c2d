import ArgumentParser
import ChatFS
import Foundation
import SystemIntegration

struct UnmountCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unmount", abstract: "Unmount a chatfs mount (the daemon then exits).",
        discussion: """
            Warns when messages are still waiting to be sent: they stay queued and go out at the next mount. \
            A mount whose daemon does not answer within 10 s (it crashed with a thread stuck in the kernel, or hangs) \
            has its FUSE connection aborted first, then is detached; it says so.
            """)

    @Argument(help: "The mount point.")
    var mountPoint: String

    @Flag(help: "Detach even if busy (the kernel finishes when the last file closes).")
    var lazy = false

    func run() throws {
        let mount = try MountedTree.mount(containing: mountPoint)
        let root = mount.mountPoint
        guard root == ResolvedPath.of(mountPoint) else {
            throw CommandFailure(.noInput, "\(mountPoint) is inside the chatfs mount at \(root), not its mount point")
        }
        // Asked first: reading the status of a mount nobody answers would hang for good.
        if MountPointCheck.probe(root) == .notAnswering {
            try abortAndDetach(mount)
            return
        }
        // A dead mount has no status to read; it is unmounted all the same.
        if let status = try? MountedTree.status(of: root), status.pendingSends > 0 {
            FileHandle.standardError.write(Data("""
                chatfs: warning: \(status.pendingSends) message(s) not sent yet; they stay queued and go out at the next mount

                """.utf8))
        }
        let fusermount = Process()
        fusermount.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        fusermount.arguments = ["fusermount3", "-u"] + (lazy ? ["-z"] : []) + [root]
        try fusermount.run()
        fusermount.waitUntilExit()
        guard fusermount.terminationStatus == 0 else {
            throw CommandFailure(.failure, "could not unmount \(root) (busy? try --lazy, or close the files open there)")
        }
    }

    /// The way out of a mount that hangs every process touching it, without knowing
    /// `/sys/fs/fuse/connections`.
    private func abortAndDetach(_ mount: MountEntry) throws {
        do {
            let aborted = try MountPointCheck.abortAndDetach(mount)
            FileHandle.standardError.write(Data("chatfs: \(mount.mountPoint): \(aborted); unmounted\n".utf8))
        } catch let error as MountError {
            throw CommandFailure(.failure, error.description)
        }
    }
}
