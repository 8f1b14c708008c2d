import Foundation
import Testing
import TestSupport

/// `chatfs mount` as people run it: detached, stopped with `chatfs unmount`, and mounted
/// again over the dead mount a crash leaves behind.
@Suite(.serialized, .enabled(if: MountSupport.available, "needs /dev/fuse, fusermount3 and built binaries"))
struct DaemonTests {
    /// The PID of the daemon serving `mountPoint` (its command line names the unique path).
    func daemon(of mountPoint: String) throws -> Int32? {
        try run(["pgrep", "-f", "chatfs mount \(mountPoint) "]).stdout.split(separator: "\n").first.flatMap { Int32($0) }
    }

    func isMounted(_ mountPoint: String) -> Bool {
        ((try? String(contentsOfFile: "/proc/mounts", encoding: .utf8)) ?? "").contains(" \(mountPoint) fuse")
    }

    @Test func mountDetachesUnmountStopsAndACrashedMountIsMountedAgain() throws {
        let server = try ReferenceServer.start()
        defer { server.stop() }
        let mountPoint = try makeTemporaryDirectory("chatfs-mnt")
        let cache = try makeTemporaryDirectory("chatfs-cache")
        let mount = [Binaries.chatfs, "mount", mountPoint, "--server", server.url, "--user", "alice", "--cache-dir", cache]
        defer {
            if let pid = try? daemon(of: mountPoint) { kill(pid, SIGKILL) }
            _ = try? run(["fusermount3", "-uz", mountPoint])
        }

        let detached = try run(mount)
        #expect(detached.succeeded, "\(detached.stderr)")
        #expect(detached.stdout.contains("mounted"))
        #expect(isMounted(mountPoint))
        #expect(try run(["ls", mountPoint]).stdout.contains("Big history"))
        let first = try #require(try daemon(of: mountPoint))

        kill(first, SIGKILL)
        #expect(try eventually { try daemon(of: mountPoint) == nil })
        #expect(try run(["ls", mountPoint]).stderr.contains("Transport endpoint is not connected"))
        let again = try run(mount)
        #expect(again.succeeded, "\(again.stderr)")
        #expect(try run(["ls", mountPoint]).stdout.contains("Big history"))

        let unmount = try run([Binaries.chatfs, "unmount", mountPoint])
        #expect(unmount.succeeded, "\(unmount.stderr)")
        #expect(try eventually { try daemon(of: mountPoint) == nil })
        #expect(!isMounted(mountPoint))
    }

    @Test func aMountThatCannotStartSaysWhyBeforeDetaching() throws {
        let server = try ReferenceServer.start()
        defer { server.stop() }
        let mountPoint = try makeTemporaryDirectory("chatfs-mnt")
        defer { _ = try? run(["fusermount3", "-uz", mountPoint]) }
        let unknown = try run([Binaries.chatfs, "mount", mountPoint, "--server", server.url, "--user", "mallory",
                               "--cache-dir", try makeTemporaryDirectory("chatfs-cache")])
        #expect(!unknown.succeeded)
        #expect(unknown.stderr.contains("User not found"))
        #expect(!isMounted(mountPoint))
        let insecure = try run([Binaries.chatfs, "mount", mountPoint, "--server", "http://support.example.com", "--user", "alice",
                                "--cache-dir", try makeTemporaryDirectory("chatfs-cache")])
        #expect(!insecure.succeeded)
        #expect(insecure.stderr.contains("plain http"))
    }
}
