import ChatAPI
import ChatCache
@testable import ChatOutbox
import Foundation
import Logging
import Testing

/// The never-send-twice decision, driven pass by pass with a hand-moved clock against a
/// fake server, on both generations: whatever happened to an attempt, the server ends with
/// exactly one copy, and none is sent while the first may still land.
@Suite struct NeverTwiceTests {
    let clock = TestClock()
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("chatfs-outbox-\(UUID().uuidString)")

    func makeOutbox(_ server: FakeOutboxServer) throws -> Outbox {
        try server.makeOutbox(in: directory, clock: clock)
    }

    /// Queues `text` as a closed file would.
    func queue(_ text: String, in outbox: Outbox, chatID: String) throws {
        let item = try outbox.create(chatID: chatID, name: "reply.txt")
        try outbox.commit(rowID: item.rowID, content: Array(text.utf8))
    }

    /// Runs sender passes, moving the clock to each next due time, until the outbox is
    /// empty or `limit` seconds of clock time have passed. Returns the clock time used.
    @discardableResult
    func runUntilEmpty(_ outbox: Outbox, chatID: String, limit: TimeInterval = 600) throws -> TimeInterval {
        let start = clock.now
        while try !outbox.items(chatID: chatID).isEmpty, clock.now.timeIntervalSince(start) < limit {
            guard let next = outbox.sender.runPass() else { break }
            clock.advance(to: next)
        }
        return clock.now.timeIntervalSince(start)
    }

    func cleanUp() { try? FileManager.default.removeItem(at: directory) }

    /// The copies the server holds once every late commit has landed.
    func finalCopies(_ server: FakeOutboxServer, of text: String) -> Int {
        clock.advance(by: 3600)
        return server.copies(of: text)
    }

    @Test(arguments: [false, true])
    func anAnsweredSendIsStoredOnce(deduplicates: Bool) throws {
        defer { cleanUp() }
        let server = FakeOutboxServer(deduplicates: deduplicates, clock: clock)
        let outbox = try makeOutbox(server)
        try queue("answered", in: outbox, chatID: server.chatID)
        try runUntilEmpty(outbox, chatID: server.chatID)
        #expect(finalCopies(server, of: "answered") == 1)
        #expect(server.sendCount == 1)
    }

    @Test(arguments: [false, true])
    func aConnectionDroppedAfterTheCommitIsNotSentAgain(deduplicates: Bool) throws {
        defer { cleanUp() }
        let server = FakeOutboxServer(deduplicates: deduplicates, clock: clock)
        server.script([.dropAfterCommit])
        let outbox = try makeOutbox(server)
        try queue("dropped", in: outbox, chatID: server.chatID)
        try runUntilEmpty(outbox, chatID: server.chatID)
        #expect(finalCopies(server, of: "dropped") == 1)
        #expect(try outbox.items(chatID: server.chatID).isEmpty)
    }

    /// The deployed generation: the first request is stored some seconds after the client
    /// gave up. No second copy, because the sender keeps looking for the settle window.
    @Test(arguments: [1.0, 5.0, 30.0])
    func aLateCommitIsFoundOnTheDeployedGeneration(delay: TimeInterval) throws {
        defer { cleanUp() }
        let server = FakeOutboxServer(deduplicates: false, clock: clock)
        server.script([.commitAfterTimeout(delay)])
        let outbox = try makeOutbox(server)
        try queue("late \(delay)", in: outbox, chatID: server.chatID)
        try runUntilEmpty(outbox, chatID: server.chatID)
        #expect(finalCopies(server, of: "late \(delay)") == 1)
        #expect(server.sendCount == 1, "sent again while the first attempt could still land")
    }

    /// The delta generation deduplicates by clientTempId: sending again at once is safe.
    @Test(arguments: [1.0, 5.0, 30.0])
    func aLateCommitIsDeduplicatedOnTheDeltaGeneration(delay: TimeInterval) throws {
        defer { cleanUp() }
        let server = FakeOutboxServer(deduplicates: true, clock: clock)
        server.script([.commitAfterTimeout(delay)])
        let outbox = try makeOutbox(server)
        try queue("late \(delay)", in: outbox, chatID: server.chatID)
        let took = try runUntilEmpty(outbox, chatID: server.chatID)
        #expect(finalCopies(server, of: "late \(delay)") == 1)
        #expect(took < OutboxConfiguration().settleWindow.seconds, "the delta generation needs no settle window")
    }

    /// Never stored: sent again once the settle window has passed, and only then.
    @Test(arguments: [false, true])
    func aRequestNeverStoredIsSentAgainOnce(deduplicates: Bool) throws {
        defer { cleanUp() }
        let server = FakeOutboxServer(deduplicates: deduplicates, clock: clock)
        server.script([.neverCommit])
        let outbox = try makeOutbox(server)
        try queue("lost", in: outbox, chatID: server.chatID)
        let took = try runUntilEmpty(outbox, chatID: server.chatID)
        #expect(finalCopies(server, of: "lost") == 1)
        #expect(server.sendCount == 2)
        if !deduplicates { #expect(took >= OutboxConfiguration().settleWindow.seconds) }
    }

    /// A whole answer that does not decode means the server is done with the request: the
    /// sender looks once and, if the message is not there, sends again at once; nothing can
    /// still land, so no settle window (the fault matrix's garbled answers converged in 45 s).
    @Test(arguments: [(false, false), (false, true), (true, false), (true, true)])
    func aGarbledAnswerIsLookedForOnceNotWaitedFor(deduplicates: Bool, stored: Bool) throws {
        defer { cleanUp() }
        let server = FakeOutboxServer(deduplicates: deduplicates, clock: clock)
        server.script([.garbledAnswer(stored: stored)])
        let outbox = try makeOutbox(server)
        try queue("garbled", in: outbox, chatID: server.chatID)
        let took = try runUntilEmpty(outbox, chatID: server.chatID)
        #expect(finalCopies(server, of: "garbled") == 1)
        #expect(server.sendCount == (stored && !deduplicates ? 1 : 2))
        #expect(took < 5, "waited \(took) s for a request that could no longer land")
    }

    /// Down throughout: nothing is sent, no attempt is spent, the message keeps waiting.
    @Test(arguments: [false, true])
    func aServerDownThroughoutSpendsNoAttempt(deduplicates: Bool) throws {
        defer { cleanUp() }
        let server = FakeOutboxServer(deduplicates: deduplicates, clock: clock)
        server.setDown(true)
        let outbox = try makeOutbox(server)
        try queue("offline", in: outbox, chatID: server.chatID)
        try runUntilEmpty(outbox, chatID: server.chatID, limit: 3600)
        let item = try #require(try outbox.items(chatID: server.chatID).first)
        #expect(item.state == .waiting)
        #expect(item.attempts == 0)
        #expect(!item.needsCheck)
        server.setDown(false)
        try runUntilEmpty(outbox, chatID: server.chatID)
        #expect(finalCopies(server, of: "offline") == 1)
    }

    /// A hung server (no answer at all, many times) never fails the message.
    @Test(arguments: [false, true])
    func aHungServerNeverFailsTheMessage(deduplicates: Bool) throws {
        defer { cleanUp() }
        let server = FakeOutboxServer(deduplicates: deduplicates, clock: clock)
        server.script(Array(repeating: .neverCommit, count: 8))
        let outbox = try makeOutbox(server)
        try queue("patience", in: outbox, chatID: server.chatID)
        try runUntilEmpty(outbox, chatID: server.chatID, limit: 3600)
        #expect(finalCopies(server, of: "patience") == 1)
        #expect(try outbox.items(chatID: server.chatID).isEmpty)
    }
}
