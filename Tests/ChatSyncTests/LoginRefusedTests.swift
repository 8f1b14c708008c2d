import ChatAPI
import ChatCache
import Foundation
import Logging
import Testing
import TestSupport
@testable import ChatSync

/// Issue 12, defect 3: an account made inactive (401, then a login answered 403) is not
/// asked again every poll; the poller backs off up to the idle interval, says why in the
/// status, and comes back at its next turn once the login passes.
struct LoginRefusedTests {
    @Test func theBackoffDoublesFromThePollIntervalUpToTheIdleOne() {
        let configuration = SyncConfiguration()
        #expect((0...7).map { LoginBackoff.interval(refusals: $0, configuration: configuration) }
            == [5, 5, 10, 20, 40, 60, 60, 60])
        #expect(LoginBackoff.interval(refusals: .max, configuration: configuration) == 60)
    }

    @Test func aRefusedLoginIsAskedLessAndLessOftenAndShownInStatus() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("chatfs-login-test-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let cache = try ChatCache(directory: directory, logger: Logger(label: "test"))
        let service = FakeChatService(generation: .delta, messages: 1...3)
        var configuration = SyncConfiguration()
        configuration.pollInterval = .milliseconds(50)
        configuration.idlePollInterval = .milliseconds(400)
        let engine = SyncEngine(service: service, cache: cache, configuration: configuration, logger: Logger(label: "test"))
        try engine.refreshChatList()
        let chat = try #require(try cache.chats().first)
        engine.visit(chatRowID: chat.rowID, firstPageTimeout: .seconds(10))  // in use: the poller keeps it fresh
        service.append(4...5)
        try engine.refreshChatList()  // and it is behind: the poller would fetch 4...5
        service.state.withLock { $0.loginRefused = true; $0.chatListCalls = []; $0.queries = [] }

        engine.start()
        defer { engine.stop() }
        try #require(eventually(interval: 0.01) { service.state.withLock { $0.chatListCalls.count >= 3 } })
        for _ in 0..<20 { engine.wake() }  // visits wake the poller: no extra request (the gaps below)
        try #require(eventually(interval: 0.01) { service.state.withLock { $0.chatListCalls.count >= 6 } })
        let calls = service.state.withLock { $0.chatListCalls }
        let gaps = zip(calls.dropFirst(), calls).map { ($0 - $1) / .milliseconds(1) }
        // Lower bounds only (±10 % jitter; a loaded machine is late, never early).
        for (gap, expected) in zip(gaps, [50.0, 100, 200, 400, 400]) {
            #expect(gap >= expected * 0.9, "gaps \(gaps)")
        }
        #expect(service.queries.isEmpty, "a chat in use is not synced while the login is refused")
        #expect(try cache.meta(.lastError) == "login refused: Account is inactive")

        service.state.withLock { $0.loginRefused = false }
        #expect(try eventually(interval: 0.01) { try cache.meta(.lastError) == nil && !service.queries.isEmpty })
    }
}
