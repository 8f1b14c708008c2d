import ArgumentParser
import Foundation

/// Runs the mount in a detached child and returns once it is live, like sshfs: the parent
/// re-executes itself with `--detached-child` and waits for one line on the child's stdout.
/// The child's stderr stays the terminal until then, so a failure is shown before the
/// parent exits non-zero.
enum Detacher {
    private static let readyPrefix = "chatfs-ready "

    static func runDetached(arguments: [String]) throws {
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        child.arguments = arguments
        let pipe = Pipe()
        child.standardOutput = pipe
        child.standardInput = FileHandle.nullDevice
        try child.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        if let line = output.split(separator: "\n").first(where: { $0.hasPrefix(readyPrefix) }) {
            print("chatfs: " + line.dropFirst(readyPrefix.count))
            return
        }
        // The child has said why on the shared stderr; pass its status on.
        child.waitUntilExit()
        throw ExitCode(child.terminationStatus == 0 ? 1 : child.terminationStatus)
    }

    /// In the child: leaves the terminal's session so Ctrl-C or a closed terminal do not
    /// stop the mount.
    static func leaveTerminalSession() {
        _ = setsid()
    }

    /// In the child, once mounted: tells the parent, then closes the pipe (the parent reads
    /// to end of file).
    static func reportReady(_ message: String) {
        FileHandle.standardOutput.write(Data((readyPrefix + message + "\n").utf8))
        let null = open("/dev/null", O_RDWR)
        dup2(null, STDOUT_FILENO)
        dup2(null, STDIN_FILENO)
        close(null)
    }
}
