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
        if let root = try? MountPoint.root(of: mountPoint), let status = try? MountPoint.status(of: root),
           let sends = status.split(separator: "\n").first(where: { $0.hasPrefix("sends:") }),
           let pending = Int(sends.dropFirst("sends:".count).trimmingCharacters(in: .whitespaces).prefix { $0.isNumber }), pending > 0 {
            FileHandle.standardError.write(Data("chatfs: warning: \(pending) message(s) not sent yet; they stay queued and go out at the next mount\n".utf8))
        }
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
