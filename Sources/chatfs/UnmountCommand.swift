import ArgumentParser
import Foundation

struct UnmountCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unmount", abstract: "Unmount a chatfs mount (the daemon then exits).")

    @Argument(help: "The mount point.")
    var mountPoint: String

    @Flag(help: "Detach even if busy (the kernel finishes when the last file closes).")
    var lazy = false

    func run() throws {
        let fusermount = Process()
        fusermount.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        fusermount.arguments = ["fusermount3", "-u"] + (lazy ? ["-z"] : []) + [mountPoint]
        try fusermount.run()
        fusermount.waitUntilExit()
        guard fusermount.terminationStatus == 0 else {
            throw ValidationError("could not unmount \(mountPoint) (busy? try --lazy, or close the files open there)")
        }
    }
}
