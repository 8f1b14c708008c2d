import ChatAPI
import ChatCache
@testable import ChatFS
import ChatOutbox
import CFuse
import Dispatch
import Foundation
import Testing

/// `rm` of a message while the sender is trying it waits for the attempt (on a condition)
/// and then answers the truth: the attempt failed offline, so the message is cancelled.
@Suite struct OutboxSendInFlightTests {
    @Test func rmWaitsForTheAttemptInFlightThenCancels() throws {
        // The send blocks until the test lets it fail as "offline".
        let started = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        let server = NoServer { _ in
            started.signal()
            _ = release.wait(timeout: .now() + 30)
            throw APIError.offline("connection refused")
        }
        let tree = try TestTree(messageCount: 1, service: server)
        let filesystem = tree.filesystem
        let outbox = InodeNumber.outboxDirectory(chatRowID: tree.chat.rowID).rawValue!
        tree.outbox.start()
        defer {
            release.signal()
            tree.outbox.stop(timeout: .seconds(5))
        }

        var info = fuse_file_info()
        info.flags = O_WRONLY | O_CREAT
        guard case .created(let entry, let opened) = Reply(try filesystem.create(parent: outbox, name: "cancel.txt", info)) else {
            Issue.record("not created")
            return
        }
        _ = try filesystem.write(entry.ino, bytes: Array("never sent".utf8), offset: 0, opened)
        #expect(Reply(try filesystem.flush(entry.ino, opened)).errorCode == 0)
        _ = filesystem.release(entry.ino, opened)
        #expect(started.wait(timeout: .now() + 10) == .success)
        #expect(try tree.outbox.items(chatID: tree.chat.id).first?.state == .sending)

        DispatchQueue.global().asyncAfter(deadline: .now() + 0.2) { release.signal() }
        #expect(Reply(try filesystem.unlink(parent: outbox, name: "cancel.txt")).errorCode == 0)
        #expect(try tree.outbox.items(chatID: tree.chat.id).isEmpty)
    }
}
