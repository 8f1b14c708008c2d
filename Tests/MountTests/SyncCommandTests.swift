import Foundation
import Testing
import TestSupport

/// `chatfs sync` reads the mount's JSON status (not its human text) and shows progress on
/// a terminal only.
@Suite(.serialized, .enabled(if: MountSupport.available, "needs /dev/fuse, fusermount3 and built binaries"))
struct SyncCommandTests {
    static let chat = "Printer not working"

    /// Queues a message the server takes `delay` seconds to accept.
    func queueSlowMessage(_ server: ReferenceServer, _ mount: ChatfsMount, delay: Int) throws {
        _ = try run(["ls", mount.path(Self.chat)])
        try server.injectFault(["pathContains": "/chat/messages", "method": "POST", "action": "delay", "delaySeconds": delay, "times": 1])
        #expect(try run(["sh", "-c", "echo 'slow one' > '\(mount.path(Self.chat))/outbox/slow.txt'"]).succeeded)
    }

    @Test func onATerminalItShowsWhatIsPendingUntilZero() throws {
        try withDemoMount { server, mount in
            try queueSlowMessage(server, mount, delay: 3)
            // script(1) gives chatfs sync a terminal; its output is the terminal's.
            let terminal = try run(["script", "-qec", "\(Binaries.chatfs) sync '\(mount.mountPoint)'", "/dev/null"], timeout: 60)
            #expect(terminal.succeeded, "\(terminal.stdout)")
            #expect(terminal.stdout.contains("sending… 1 pending"), "\(terminal.stdout)")
            #expect(terminal.stdout.contains("all queued messages handled; 0 pending, 0 failed"), "\(terminal.stdout)")
        }
    }

    @Test func inAPipeItPrintsOnlyTheSummary() throws {
        try withDemoMount { server, mount in
            try queueSlowMessage(server, mount, delay: 2)
            let piped = try run([Binaries.chatfs, "sync", mount.path(Self.chat)], timeout: 60)
            #expect(piped.succeeded, "\(piped.stderr)")
            #expect(piped.stderr.isEmpty, "\(piped.stderr)")
            #expect(piped.stdout == "chatfs: all queued messages handled; 0 pending, 0 failed\n")
        }
    }

    @Test func unmountWarnsAboutMessagesStillWaiting() throws {
        let server = try ReferenceServer.start()
        let mount = try ChatfsMount.start(server: server)
        defer { mount.stop() }
        _ = try run(["ls", mount.path(Self.chat)])
        server.stop()
        #expect(try run(["sh", "-c", "echo 'later' > '\(mount.path(Self.chat))/outbox/later.txt'"]).succeeded)
        let unmount = try run([Binaries.chatfs, "unmount", mount.mountPoint])
        #expect(unmount.succeeded, "\(unmount.stderr)")
        #expect(unmount.stderr.contains("warning: 1 message(s) not sent yet"), "\(unmount.stderr)")
    }

    @Test func syncAndUnmountRefuseWhatIsNotAChatfsMount() throws {
        let directory = try TemporaryDirectory("chatfs-plain")
        for command in [["sync", directory.path], ["unmount", directory.path]] {
            let result = try run([Binaries.chatfs] + command)
            #expect(result.status == 66 && result.stderr.contains("is not inside a chatfs mount"), "\(command): \(result.stderr)")
        }
    }
}
