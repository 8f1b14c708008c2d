import Foundation
import Testing
import TestSupport

/// A mount whose daemon no longer reads `/dev/fuse` while the kernel still holds the
/// connection open: after kill -9 a daemon can stay a zombie that way (one thread stuck
/// in `notify_inval_entry` behind a `readdir` it will never answer, RELIABILITY.md "Crash
/// during sync"), and every process touching the mount hangs. A stopped daemon (SIGSTOP)
/// is the same thing to the kernel, and can be made on demand. `chatfs unmount` and
/// `chatfs mount` get the user out without `/sys/fs/fuse/connections` or `umount -f`.
@Suite(.serialized, .enabled(if: MountSupport.available, "needs /dev/fuse, fusermount3 and built binaries"))
struct HungMountTests {
    @Test func unmountAbortsAMountWhoseDaemonDoesNotAnswer() throws {
        let server = try ReferenceServer.start()
        defer { server.stop() }
        let mount = try ChatfsMount.start(server: server)
        defer {
            kill(mount.pid, SIGCONT)
            mount.removeFiles()
        }
        #expect(try run(["ls", mount.mountPoint]).stdout.contains("Big history"))
        kill(mount.pid, SIGSTOP)

        let unmount = try run([Binaries.chatfs, "unmount", mount.mountPoint])
        #expect(unmount.succeeded, "\(unmount.status): \(unmount.stderr)")
        #expect(unmount.stderr.contains("aborted its FUSE connection"), "\(unmount.stderr)")
        #expect(!mount.isMounted)
        let after = try run(["ls", "-A", mount.mountPoint])
        #expect(after.succeeded && after.stdout.isEmpty, "\(after.stderr)")
        // The stopped daemon, let go, finds its connection gone and exits by itself.
        kill(mount.pid, SIGCONT)
        #expect(eventually(timeout: 30) { !mount.isRunning })
    }

    @Test func aMountOverAMountWhoseDaemonDoesNotAnswerReplacesIt() throws {
        let server = try ReferenceServer.start()
        defer { server.stop() }
        let hung = try ChatfsMount.start(server: server)
        defer {
            kill(hung.pid, SIGCONT)
            hung.removeFiles()
        }
        let detached = DetachedMount(mountPoint: hung.mountPoint)
        defer { detached.stop() }
        kill(hung.pid, SIGSTOP)

        let again = try run([Binaries.chatfs, "mount", hung.mountPoint, "--server", server.url, "--user", "alice",
                             "--cache-dir", try makeTemporaryDirectory("chatfs-cache")])
        #expect(again.succeeded, "\(again.status): \(again.stderr)")
        #expect(detached.count == 1)
        #expect(try run(["ls", hung.mountPoint]).stdout.contains("Big history"))
        #expect(try run([Binaries.chatfs, "unmount", hung.mountPoint]).succeeded)
        #expect(detached.waitUntilGone())
    }

    /// kill -9 with nothing stuck: the kernel ends the connection itself; unmount clears it.
    @Test func unmountClearsAMountWhoseDaemonWasKilled() throws {
        let server = try ReferenceServer.start()
        defer { server.stop() }
        let mount = try ChatfsMount.start(server: server)
        defer { mount.removeFiles() }
        #expect(try run(["ls", mount.mountPoint]).stdout.contains("Big history"))
        mount.crash()

        let unmount = try run([Binaries.chatfs, "unmount", mount.mountPoint])
        #expect(unmount.succeeded, "\(unmount.status): \(unmount.stderr)")
        #expect(!mount.isMounted)
        let after = try run(["ls", "-A", mount.mountPoint])
        #expect(after.succeeded && after.stdout.isEmpty, "\(after.stderr)")
    }
}
