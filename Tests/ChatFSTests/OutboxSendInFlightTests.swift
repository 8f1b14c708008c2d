import ChatAPI
import ChatCache
@testable import ChatFS
import ChatSync
import CFuse
import Dispatch
import Foundation
import Testing

/// `rm` of a message while the sender is trying it (offline, the attempt fails at once)
/// waits for the attempt instead of failing EBUSY.
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
        filesystem.engine.start()
        defer {
            release.signal()
            filesystem.engine.stop(timeout: .seconds(5))
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
        let rowID = try #require(try tree.cache.outboxItems(chatID: tree.chat.id).first?.rowID)
        #expect(filesystem.engine.sendingOutboxRowID == rowID)

        DispatchQueue.global().asyncAfter(deadline: .now() + 0.2) { release.signal() }
        #expect(Reply(try filesystem.unlink(parent: outbox, name: "cancel.txt")).errorCode == 0)
        #expect(try tree.cache.outboxItems(chatID: tree.chat.id).isEmpty)
    }
}
