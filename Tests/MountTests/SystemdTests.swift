import Foundation
import Testing
import TestSupport

/// systemd's Type=notify protocol against a socket of the test's own, with the real
/// daemon: READY=1 once the mount is live, STOPPING=1 on the way down after SIGTERM (what
/// `systemctl stop` sends), and an unmounted mount point afterwards.
@Suite(.serialized, .enabled(if: MountSupport.available, "needs /dev/fuse, fusermount3 and built binaries"))
struct SystemdTests {
    @Test(.disabled(if: MountSupport.stopEndsInThreadSanitizer, "ThreadSanitizer ends the daemon before STOPPING=1"),
          arguments: [false, true])
    func readyWhenLiveStoppingOnTheWayDown(abstractSocket: Bool) throws {
        let server = try ReferenceServer.start()
        defer { server.stop() }
        let socket = try NotifySocket(abstract: abstractSocket)
        let mountPoint = try TemporaryDirectory("chatfs-mnt")
        let cache = try TemporaryDirectory("chatfs-cache")
        let log = try TemporaryDirectory("chatfs-log")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Binaries.chatfs)
        // No --foreground: under systemd chatfs must not detach by itself.
        process.arguments = ["mount", mountPoint.path, "--server", server.url, "--user", "alice", "--cache-dir", cache.path]
        process.environment = ProcessInfo.processInfo.environment.merging(["NOTIFY_SOCKET": socket.address]) { $1 }
        _ = FileManager.default.createFile(atPath: log.path + "/stderr", contents: nil)
        process.standardError = FileHandle(forWritingAtPath: log.path + "/stderr")
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let mount = DetachedMount(mountPoint: mountPoint.path)
        defer {
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
            mount.stop()
        }

        let ready = socket.receive(timeout: 60)
        #expect(ready?.hasPrefix("READY=1\nSTATUS=mounted ") == true, "\(ready ?? "nothing")")
        #expect(mount.isMounted, "READY=1 comes once the mount is live")
        #expect(try run(["ls", mountPoint.path]).stdout.contains("Big history"))
        #expect(process.isRunning, "it stays in the foreground")

        kill(process.processIdentifier, SIGTERM)
        let stopping = socket.receive(timeout: 30)
        #expect(stopping?.hasPrefix("STOPPING=1") == true, "\(stopping ?? "nothing")")
        try #require(eventually(timeout: 20) { !process.isRunning }, "SIGTERM stops it")
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(!mount.isMounted)
        let stderr = (try? String(contentsOfFile: log.path + "/stderr", encoding: .utf8)) ?? ""
        #expect(stderr.contains("mounted"), "logs go to stderr (the journal) under systemd")
    }
}
