import ArgumentParser
import Foundation
import SystemIntegration

struct UnmountCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unmount", abstract: "Unmount a chatfs mount (the daemon then exits).",
        discussion: "Warns when messages are still waiting to be sent: they stay queued and go out at the next mount.")

    @Argument(help: "The mount point.")
    var mountPoint: String

    @Flag(help: "Detach even if busy (the kernel finishes when the last file closes).")
    var lazy = false

    func run() throws {
        let root = try MountedTree.root(containing: mountPoint)
        guard root == ResolvedPath.of(mountPoint) else {
            throw CommandFailure(.noInput, "\(mountPoint) is inside the chatfs mount at \(root), not its mount point")
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
}
