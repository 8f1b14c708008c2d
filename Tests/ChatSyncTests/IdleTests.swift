import ChatCache
import Foundation
import Logging
import Testing
@testable import ChatSync

/// An idle mount polls slowly, but any use ends the idle period at once: a visit after
/// idle minutes must not wait out the long interval for the chat list (issue 9, P11).
@Suite struct IdleTests {
    /// The default schedule keeps an idle mount within issue 9's P11 budget: ≤ 100 requests
    /// in the hour after the last use (a technician's poll is two calls, and idle it polls
    /// half as often), ≤ 60 an hour after that.
    @Test func theDefaultScheduleKeepsAnIdleMountWithinItsRequestBudget() {
        let schedule = SyncConfiguration()
        let hour = 3600.0
        let idleAfter = schedule.idleAfter.seconds
        for callsPerPoll in [1.0, 2.0] {
            let inUse = idleAfter / schedule.pollInterval.seconds * callsPerPoll
            let idlePerHour = hour / (schedule.idlePollInterval.seconds * callsPerPoll) * callsPerPoll
            #expect(inUse + idlePerHour * (hour - idleAfter) / hour <= 100, "\(callsPerPoll) call(s) per poll")
            #expect(idlePerHour <= 60)
        }
    }

    /// An engine that polls every 50 ms in use, goes idle after 200 ms and then waits 10
    /// minutes, its chat list fetched once; the caller removes `directory`.
    private static func quickEngine() throws -> (SyncEngine, FakeChatService, ChatCache, URL) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("chatfs-idle-\(UUID().uuidString)")
        let service = FakeChatService(generation: .delta, messages: 1...3)
        let cache = try ChatCache(directory: directory, logger: Logger(label: "test"))
        var configuration = SyncConfiguration()
        configuration.pollInterval = .milliseconds(50)
        configuration.idleAfter = .milliseconds(200)
        configuration.idlePollInterval = .seconds(600)
        let engine = SyncEngine(service: service, cache: cache, configuration: configuration, logger: Logger(label: "test"))
        try engine.refreshChatList()
        return (engine, service, cache, directory)
    }

    /// Polls `count` until it stops moving for 10 looks (the poller settled on the idle
    /// interval), at most 10 s; returns whether it settled and the count it settled at.
    private static func settle(_ count: () -> Int) -> (settled: Bool, at: Int) {
        var settled = count()
        var stable = 0
        let deadline = Date().addingTimeInterval(10)
        while stable < 10, Date() < deadline {
            let calls = count()
            stable = calls == settled ? stable + 1 : 0
            settled = calls
            _ = DispatchSemaphore(value: 0).wait(timeout: .now() + 0.05)
        }
        return (stable >= 10, settled)
    }

    @Test func aVisitAfterIdleFetchesTheChatListAtOnce() throws {
        let (engine, service, cache, directory) = try Self.quickEngine()
        defer { try? FileManager.default.removeItem(at: directory) }
        let chat = try #require(try cache.chats().first)
        engine.start()
        defer { engine.stop() }
        // Idle: once the poller has settled on the idle interval, the count stops moving.
        let (wentIdle, settled) = Self.settle { service.chatListCallCount }
        #expect(wentIdle, "the poller never went idle")
        engine.noteAccess(chatRowID: chat.rowID)
        let woke = Date().addingTimeInterval(2)
        while service.chatListCallCount == settled, Date() < woke {
            _ = DispatchSemaphore(value: 0).wait(timeout: .now() + 0.02)
        }
        #expect(service.chatListCallCount > settled, "a read after idle did not end the idle period")
    }

    /// A reader of `.chatfs/events` waits for what the polls bring: while one is open the
    /// mount never goes idle, and once it closes the idle period starts.
    @Test func anOpenEventsReaderKeepsTheMountInUse() throws {
        let (engine, service, _, directory) = try Self.quickEngine()
        defer { try? FileManager.default.removeItem(at: directory) }
        engine.followingStarted()
        engine.start()
        defer { engine.stop() }
        // With nothing but the reader, more polls than fit in `idleAfter` (4 at 50 ms): an
        // idle poller would stop after those and wait 10 minutes.
        let enough = service.chatListCallCount + 12
        let window = Date().addingTimeInterval(5)
        while service.chatListCallCount < enough, Date() < window {
            _ = DispatchSemaphore(value: 0).wait(timeout: .now() + 0.02)
        }
        #expect(service.chatListCallCount >= enough, "the mount went idle with a reader open")

        engine.followingEnded()
        #expect(Self.settle { service.chatListCallCount }.settled, "the mount never went idle after the reader closed")
    }
}
