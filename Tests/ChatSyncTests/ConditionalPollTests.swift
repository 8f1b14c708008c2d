import ChatAPI
import ChatCache
import Foundation
import Logging
import Locking
import Testing
@testable import ChatSync

/// The chat-list poll is conditional on the delta generation: an unchanged list (304)
/// stores nothing and announces nothing; a changed one is stored as before. The deployed
/// generation offers no tag, so every poll asks unconditionally (issue 9, less on the wire).
@Suite struct ConditionalPollTests {
    /// What the engine announced.
    final class EventLog: Sendable {
        private let events = Locked<[ChangeEvent]>([])
        func append(_ event: ChangeEvent) { events.withLock { $0.append(event) } }
        func removeAll() { events.withLock { $0.removeAll() } }
        var all: [ChangeEvent] { events.withLock { $0 } }
    }

    private func withEngine(_ generation: ServerGeneration,
                            _ body: (FakeChatService, ChatCache, SyncEngine, EventLog) throws -> Void) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("chatfs-poll-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let service = FakeChatService(generation: generation, messages: 1...3)
        let cache = try ChatCache(directory: directory, logger: Logger(label: "test"))
        let engine = SyncEngine(service: service, cache: cache, logger: Logger(label: "test"))
        let events = EventLog()
        engine.changes.subscribe { event in events.append(event) }
        try body(service, cache, engine, events)
    }

    @Test func anUnchangedListIsAskedForConditionallyAndStoresNothing() throws {
        try withEngine(.delta) { service, cache, engine, events in
            try engine.refreshChatList()
            events.removeAll()
            let changes = try engine.refreshChatList()
            #expect(changes.isEmpty)
            #expect(service.listTagsSent == [nil, "\"3\""])
            #expect(events.all.allSatisfy { $0 == .statusChanged }, "\(events.all)")

            service.append(4...4)
            #expect(try engine.refreshChatList().updated.count == 1)
            #expect(try cache.chats().first?.serverLastSequence == 4)
            #expect(service.listTagsSent.last == "\"3\"")
            _ = try engine.refreshChatList()
            #expect(service.listTagsSent.last == "\"4\"")
        }
    }

    @Test func theDeployedGenerationIsAskedUnconditionallyEveryTime() throws {
        try withEngine(.legacy) { service, _, engine, _ in
            for _ in 1...3 { try engine.refreshChatList() }
            #expect(service.listTagsSent == [nil, nil, nil])
        }
    }
}
