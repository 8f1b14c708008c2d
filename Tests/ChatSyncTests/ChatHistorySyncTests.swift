import ChatAPI
import ChatCache
import Dispatch
import Foundation
import Logging
import Locking
import Synchronization
import Testing
import TestSupport
@testable import ChatSync

/// The per-chat sync algorithm against both server generations.
struct ChatHistorySyncTests {
    final class Fixture: Sendable {
        let service: FakeChatService
        let cache: ChatCache
        let events = Locked<[ChangeEvent]>([])

        init(_ generation: ServerGeneration, messages: ClosedRange<Int>) throws {
            service = FakeChatService(generation: generation, messages: messages)
            let directory = URL(fileURLWithPath: try makeTemporaryDirectory("chatfs-sync-test"))
            cache = try ChatCache(directory: directory, logger: Logger(label: "test"))
            try refreshList()
        }

        func refreshList() throws {
            _ = try cache.applyChatList(service.chatList().map(ChatListEntry.init))
        }

        var chat: ChatRecord { get throws { try #require(try cache.chats().first) } }

        var sync: ChatHistorySync {
            ChatHistorySync(service: service, cache: cache, configuration: SyncConfiguration(), generation: service.generation,
                            publish: { [fixture = self] event in fixture.events.withLock { $0.append(event) } })
        }

        func held() throws -> [Int] {
            try cache.messages(chatRowID: chat.rowID, afterSequence: 0, limit: 100_000).map(\.sequence)
        }

        func backfillAll() throws {
            var steps = 0
            while try sync.backfill(chat) { steps += 1; #expect(steps < 1000) }
        }
    }

    @Test(arguments: [ServerGeneration.delta, .legacy])
    func theNewestPageComesFirstThenHistoryBackfills(generation: ServerGeneration) throws {
        let fixture = try Fixture(generation, messages: 1...1234)
        try fixture.sync.refresh(fixture.chat)
        let firstPage = try fixture.held()
        #expect(firstPage.last == 1234)
        #expect(firstPage.count == fixture.sync.pageSize)
        #expect(try fixture.cache.syncState(chatRowID: fixture.chat.rowID).firstSyncedAt != nil)
        try fixture.backfillAll()
        #expect(try fixture.held() == Array(1...1234))
        #expect(try fixture.cache.syncState(chatRowID: fixture.chat.rowID).backfillDone)
        // The body reaches the cache unescaped.
        #expect(try fixture.cache.message(chatRowID: fixture.chat.rowID, sequence: 7)?.body == "message 7 & more")
    }

    /// Defect 1 of issue 12: messages sent after the chat list was taken made the cache hold
    /// more than the list said; the next sync took that for a reset of the server's history
    /// and emptied the chat (a glob over it matched nothing) until it was fetched again.
    @Test(arguments: [ServerGeneration.delta, .legacy])
    func messagesNewerThanTheChatListAreNoResetAndTheChatNeverEmpties(generation: ServerGeneration) throws {
        let fixture = try Fixture(generation, messages: 1...300)
        try fixture.sync.refresh(fixture.chat)
        try fixture.backfillAll()
        fixture.service.append(301...305)
        try fixture.refreshList()  // the list says 305...
        fixture.service.append(306...310)  // ...and five more are sent before the chat is synced
        let stale = try fixture.chat
        try fixture.sync.refresh(stale)
        #expect(try fixture.held() == Array(1...310))
        try fixture.sync.refresh(try fixture.chat)  // the poller again, before the next list
        try fixture.sync.refresh(stale)
        #expect(try fixture.held() == Array(1...310))
        let removed = fixture.events.withLock { $0 }.contains { if case .messagesRemoved = $0 { true } else { false } }
        #expect(!removed)
        #expect(try fixture.cache.syncState(chatRowID: fixture.chat.rowID).backfillDone)
    }

    /// A resync replaces the held messages with the newest page in one transaction: a reader
    /// sees the old messages or the new ones, never an empty chat.
    @Test func aResyncNeverListsTheChatEmpty() throws {
        let fixture = try Fixture(.delta, messages: 1...50)
        try fixture.sync.refresh(fixture.chat)
        let chat = try fixture.chat
        let stop = Atomic(false)
        let emptyListings = Atomic(0)
        let finished = DispatchSemaphore(value: 0)
        Thread { [cache = fixture.cache] in
            while !stop.load(ordering: .relaxed) {
                if (try? cache.messages(chatRowID: chat.rowID, afterSequence: 0, limit: 1))?.isEmpty ?? true {
                    emptyListings.add(1, ordering: .relaxed)
                }
            }
            finished.signal()
        }.start()
        for _ in 1...50 {
            try fixture.sync.resync(chat, reason: "test", now: Date())
        }
        stop.store(true, ordering: .relaxed)
        finished.wait()
        #expect(emptyListings.load(ordering: .relaxed) == 0)
        #expect(try fixture.held() == Array(1...50))
    }

    /// Defect 4 of issue 12: a chat bigger than the quota stops filling in at the low mark
    /// (at most one page past it) instead of running past the quota, and resumes when
    /// eviction or a bigger quota makes room.
    @Test(arguments: [ServerGeneration.delta, .legacy])
    func backfillStopsAtTheQuotasLowMarkAndResumesWithRoom(generation: ServerGeneration) throws {
        let fixture = try Fixture(generation, messages: 1...5000)
        try fixture.sync.refresh(fixture.chat)
        let page = try fixture.cache.usage().total  // one page's stored size
        let quota = page * 4
        try fixture.cache.setQuota(bytes: quota)
        try fixture.backfillAll()
        let usage = try fixture.cache.usage().total
        #expect(Double(usage) <= Double(quota) * CacheQuota.lowMark + Double(page), "\(usage) of \(quota)")
        #expect(try fixture.held().last == 5000)  // the newest are kept
        #expect(try !fixture.cache.syncState(chatRowID: fixture.chat.rowID).backfillDone)
        try fixture.cache.setQuota(bytes: page * 100)
        try fixture.backfillAll()
        #expect(try fixture.held() == Array(1...5000))
    }

    /// Issue 9 (P7): a backfill run requests each next page while the one before is being
    /// stored, and still stores every page once, in order, down to the first message.
    @Test(arguments: [ServerGeneration.delta, .legacy])
    func theNextPageIsRequestedWhileThePageBeforeIsStored(generation: ServerGeneration) throws {
        let fixture = try Fixture(generation, messages: 1...2345)
        try fixture.sync.refresh(fixture.chat)
        let requestsBefore = fixture.service.queries.count
        let pagesStored = Locked(0)
        let requestedAhead = Locked<[Bool]>([])
        let backfill = ChatHistorySync(
            service: fixture.service, cache: fixture.cache, configuration: SyncConfiguration(), generation: generation,
            publish: { [service = fixture.service] event in
                guard case .messagesAdded(_, let names, false) = event else { return }
                let stored = pagesStored.withLock { $0 += 1; return $0 }
                guard names.compactMap(MessageFormat.sequence(inFileName:)).min() != 1 else { return }
                // Stored (this runs after the page's transaction): the next page is on its way.
                let ahead = eventually(timeout: 10, interval: 0.01) { service.queries.count > requestsBefore + stored }
                requestedAhead.withLock { $0.append(ahead) }
            })
        #expect(try !backfill.backfill(try fixture.chat) { true })
        #expect(try fixture.held() == Array(1...2345))
        #expect(try fixture.cache.syncState(chatRowID: fixture.chat.rowID).backfillDone)
        let pageSize = fixture.sync.pageSize
        let pages = (2345 - pageSize + pageSize - 1) / pageSize
        #expect(requestedAhead.withLock { $0 } == Array(repeating: true, count: pages - 1))
        #expect(fixture.service.queries.count == requestsBefore + pages)  // each page once
    }

    /// A window of the delta generation where every message was deleted: the held range
    /// moves down past it and backfill goes on to the first message.
    @Test func aBackfillCrossesAWindowOfDeletedMessages() throws {
        let fixture = try Fixture(.delta, messages: 1...2000)
        fixture.service.replaceHistory(with: 1...200)
        fixture.service.append(1500...2000)
        try fixture.sync.refresh(fixture.chat)
        #expect(try !fixture.sync.backfill(try fixture.chat) { true })
        #expect(try fixture.held() == Array(1...200) + Array(1500...2000))
        #expect(try fixture.cache.syncState(chatRowID: fixture.chat.rowID).backfillDone)
    }

    @Test(arguments: [ServerGeneration.delta, .legacy])
    func newMessagesArriveByDeltaWithoutRefetchingHistory(generation: ServerGeneration) throws {
        let fixture = try Fixture(generation, messages: 1...300)
        try fixture.sync.refresh(fixture.chat)
        try fixture.backfillAll()
        fixture.service.append(301...1000)
        try fixture.refreshList()
        let asked = fixture.service.queries.count
        try fixture.sync.refresh(fixture.chat)
        #expect(try fixture.held() == Array(1...1000))
        let catchUp = fixture.service.queries.dropFirst(asked)
        #expect(catchUp.count <= 4, "\(catchUp)")
        if generation == .delta {
            #expect(catchUp.first == .since(sequence: 300, limit: 500))
        }
        let added = fixture.events.withLock { $0 }.compactMap { event -> [String]? in
            if case .messagesAdded(_, let names, _) = event { return names } else { return nil }
        }.joined()
        #expect(added.contains("000301-alice.txt") && added.contains("001000-alice.txt"))
    }

    @Test func holesInADeltaAnswerAreFilledByRangeQueries() throws {
        let fixture = try Fixture(.delta, messages: 1...10)
        try fixture.sync.refresh(fixture.chat)
        fixture.service.append(11...30)
        fixture.service.state.withLock { $0.droppedFromDelta = [15, 16, 22] }
        try fixture.refreshList()
        try fixture.sync.refresh(fixture.chat)
        #expect(try fixture.held() == Array(1...30))
        #expect(fixture.service.queries.contains(.range(from: 15, through: 16)))
        #expect(fixture.service.queries.contains(.range(from: 22, through: 22)))
        #expect(try fixture.cache.syncState(chatRowID: fixture.chat.rowID).gapCount == 2)
    }

    @Test func moreThanTenGapsOrAResetHistoryStartOver() throws {
        let fixture = try Fixture(.delta, messages: 1...10)
        try fixture.sync.refresh(fixture.chat)
        try fixture.cache.updateSyncState(chatRowID: fixture.chat.rowID) { $0.gapCount = 11 }
        fixture.service.append(11...12)
        try fixture.refreshList()
        #expect(fixture.sync.resyncReason(try fixture.chat, try fixture.cache.syncState(chatRowID: fixture.chat.rowID), now: Date()) == "11 gaps")
        try fixture.sync.refresh(fixture.chat)
        #expect(try fixture.cache.syncState(chatRowID: fixture.chat.rowID).gapCount == 0)
        #expect(try fixture.held() == Array(1...12))

        // The server's history was reset: it now has fewer messages than we hold.
        fixture.service.replaceHistory(with: 1...5)
        try fixture.refreshList()
        try fixture.sync.refresh(fixture.chat)
        #expect(try fixture.held() == Array(1...5))
        let removed = fixture.events.withLock { $0 }.contains { if case .messagesRemoved = $0 { true } else { false } }
        #expect(removed)
    }

    @Test func aStaleCacheIsFetchedAgainAfterTheTTL() throws {
        let fixture = try Fixture(.legacy, messages: 1...3)
        try fixture.sync.refresh(fixture.chat)
        let state = try fixture.cache.syncState(chatRowID: fixture.chat.rowID)
        let later = Date().addingTimeInterval(8 * 24 * 3600)
        #expect(fixture.sync.resyncReason(try fixture.chat, state, now: later) == "older than the TTL")
        #expect(fixture.sync.resyncReason(try fixture.chat, state, now: Date()) == nil)
    }
}
