import ChatCache
import Foundation
import Testing

/// The quota: usage, the 90 % / 80 % marks, and what eviction must never touch.
struct QuotaTests {
    static let now = Date(timeIntervalSince1970: 1_780_000_000)
    /// Every attachment in these tests is 1,000 bytes.
    static let blob = [UInt8](repeating: 7, count: 1000)

    /// A chat "a" with `count` cached attachments, accessed in row order (the first is the
    /// least recently used).
    func cacheWithMedia(_ count: Int) throws -> (ChatCache, [MediaRecord]) {
        let cache = try makeCache()
        _ = try cache.applyChatList([entry("a", "One", created: 1)])
        _ = try cache.applyMediaList(chatID: "a", (1...count).map {
            MediaCacheTests.item(id: $0, name: "f\($0).bin", size: Self.blob.count, at: Self.now.addingTimeInterval(Double($0)))
        })
        let records = try cache.media(chatID: "a").sorted { $0.serverID < $1.serverID }
        for (index, record) in records.enumerated() {
            try storeBlob(cache, record.rowID, bytes: Self.blob, at: Self.now.addingTimeInterval(Double(index)))
        }
        return (cache, records)
    }

    /// The eviction guard when no file is open.
    static func nothingOpen(_ rowID: Int64, _ evict: () throws -> Void) throws -> Bool {
        try evict()
        return true
    }

    @Test func usageCountsMessagesAndCachedMedia() throws {
        let (cache, _) = try cacheWithMedia(3)
        let chat = try #require(try cache.chat(id: "a"))
        try cache.storeMessages([message(1), message(2)], chatRowID: chat.rowID)
        let stored = try cache.messages(chatRowID: chat.rowID, afterSequence: 0, limit: 10).reduce(0) { $0 + $1.renderedSize }
        #expect(try cache.usage() == CacheUsage(messageBytes: Int64(stored), mediaBytes: 3000))
        _ = try cache.replaceMessages(with: [], chatRowID: chat.rowID)
        #expect(try cache.usage() == CacheUsage(messageBytes: 0, mediaBytes: 3000))
    }

    @Test func nothingIsEvictedAtOrBelowNinetyPercent() throws {
        let (cache, _) = try cacheWithMedia(9)
        try cache.setQuota(bytes: 10_000)  // 9,000 = 90 %: not above
        let report = try cache.enforceQuota(now: Self.now, evictUnlessOpen: Self.nothingOpen)
        #expect(report.isEmpty)
        #expect(try cache.usage().mediaBytes == 9000)
    }

    @Test func aboveNinetyPercentTheLeastRecentlyUsedGoUntilBelowEighty() throws {
        let (cache, records) = try cacheWithMedia(10)
        try cache.setQuota(bytes: 10_500)  // 10,000 > 9,450: evict down to ≤ 8,400
        // Opening the first one makes it the most recently used.
        try cache.recordAccess(counters: [:], chats: [:], media: [records[0].rowID: Self.now.addingTimeInterval(100)])
        let report = try cache.enforceQuota(now: Self.now, evictUnlessOpen: Self.nothingOpen)
        #expect(report.media.map(\.name) == ["2026-05-28-f2.bin", "2026-05-28-f3.bin"])
        #expect(report.usageAfter == 8000)
        #expect(try cache.media(rowID: records[0].rowID)?.isCached == true)
        #expect(try cache.media(rowID: records[1].rowID)?.isCached == false)
        // Evicted attachments stay listed: they download again on open.
        #expect(try cache.media(chatID: "a").count == 10)
    }

    @Test func pinnedAndOpenAttachmentsAreNeverEvicted() throws {
        let (cache, records) = try cacheWithMedia(10)
        try cache.setQuota(bytes: 5000)
        try cache.setPinned(mediaRowID: records[0].rowID, true)
        let open: Set<Int64> = [records[1].rowID]
        let report = try cache.enforceQuota(now: Self.now) { rowID, evict in
            guard !open.contains(rowID) else { return false }
            try evict()
            return true
        }
        #expect(report.media.count == 6)  // 10,000 → 4,000
        #expect(try cache.media(rowID: records[0].rowID)?.isCached == true)
        #expect(try cache.media(rowID: records[1].rowID)?.isCached == true)
        #expect(try cache.usage().mediaBytes == 4000)
    }

    @Test func messagesOfTheLeastRecentlyUsedChatsGoAfterMediaButNotYoungOnesOrOutboxOnes() throws {
        let cache = try makeCache()
        _ = try cache.applyChatList([entry("old", "Old", created: 1), entry("recent", "Recent", created: 2),
                                 entry("outbox", "Outbox", created: 3)])
        let old = try #require(try cache.chat(id: "old")), recent = try #require(try cache.chat(id: "recent"))
        let outbox = try #require(try cache.chat(id: "outbox"))
        let body = String(repeating: "x", count: 900)
        func messages(_ sequences: ClosedRange<Int>, at time: Date) -> [IncomingMessage] {
            sequences.map { IncomingMessage(id: "m\($0)", sequence: $0, senderUsername: "alice", senderFullName: nil,
                                            createdAt: time, text: body, clientTempID: nil) }
        }
        let longAgo = Self.now.addingTimeInterval(-86_400)
        try cache.storeMessages(messages(1...5, at: longAgo), chatRowID: old.rowID)
        try cache.storeMessages(messages(1...4, at: longAgo) + messages(5...5, at: Self.now.addingTimeInterval(-60)), chatRowID: recent.rowID)
        try cache.storeMessages(messages(1...5, at: longAgo), chatRowID: outbox.rowID)
        try cache.updateSyncState(chatRowID: old.rowID) { $0.firstSyncedAt = longAgo }
        try cache.durableWrite { db in
            try db.execute(sql: "INSERT INTO outbox (chatID, name, content, size, state, modifiedAt) VALUES ('outbox', 'draft.txt', x'6869', 2, 'draft', 0)")
        }
        try cache.recordAccess(counters: [:], chats: [old.rowID: longAgo, recent.rowID: Self.now, outbox.rowID: longAgo.addingTimeInterval(-1)], media: [:])
        let total = try cache.usage().total
        try cache.setQuota(bytes: total * 10 / 14)  // usage is 140 %: down to 80 % = 8/14 of it

        let report = try cache.enforceQuota(now: Self.now, evictUnlessOpen: Self.nothingOpen)
        // The outbox chat is the least recently used but keeps its messages; then "old" goes whole,
        // then "recent" loses its old messages but keeps the one younger than an hour.
        #expect(report.messages.map(\.chatRowID) == [old.rowID, recent.rowID])
        #expect(try cache.messageCount(chatRowID: outbox.rowID) == 5)
        #expect(try cache.messageCount(chatRowID: old.rowID) == 0)
        #expect(try cache.messages(chatRowID: recent.rowID, afterSequence: 0, limit: 10).map(\.sequence) == [5])
        // Their checkpoint is reset so the next visit fetches again; the chat stays.
        #expect(try cache.syncState(chatRowID: old.rowID).firstSyncedAt == nil)
        #expect(try cache.chat(id: "old") != nil)
    }

    /// Defect 4 of issue 12: a chat in use bigger than the whole quota keeps its newest
    /// messages and lets the oldest go, so the quota holds (it sat at 420 %).
    @Test func aChatInUseBiggerThanTheQuotaLosesItsOldestMessages() throws {
        let cache = try makeCache()
        _ = try cache.applyChatList([entry("a", "One", created: 1, lastSequence: 2000)])
        let chat = try #require(try cache.chat(id: "a"))
        try cache.storeMessages((1...2000).map { message($0, text: String(repeating: "x", count: 300)) }, chatRowID: chat.rowID)
        try cache.updateSyncState(chatRowID: chat.rowID) { $0.firstSyncedAt = Self.now; $0.backfillDone = true }
        let total = try cache.usage().total
        try cache.setQuota(bytes: total / 4)  // 400 %

        let report = try cache.enforceQuota(now: Self.now, protectedChats: [chat.rowID], evictUnlessOpen: Self.nothingOpen)
        #expect(Double(report.usageAfter) <= Double(total / 4) * CacheQuota.lowMark)
        let held = try cache.messages(chatRowID: chat.rowID, afterSequence: 0, limit: 10_000).map(\.sequence)
        #expect(held.last == 2000)
        #expect(held == Array(held.first!...2000))  // the oldest went, no holes
        #expect(report.messages.flatMap(\.names).first == "000001-alice.txt")
        // The chat stays synced; its held range starts higher and backfill may resume later.
        let state = try cache.syncState(chatRowID: chat.rowID)
        #expect(state.firstSyncedAt != nil && state.oldestHeld == held.first && state.newestHeld == 2000 && !state.backfillDone)
    }

    @Test func aChatInUseKeepsItsNewestMessagesWhateverTheQuota() throws {
        let cache = try makeCache()
        _ = try cache.applyChatList([entry("a", "One", created: 1, lastSequence: 500)])
        let chat = try #require(try cache.chat(id: "a"))
        try cache.storeMessages((1...500).map { message($0) }, chatRowID: chat.rowID)
        try cache.setQuota(bytes: 10)
        _ = try cache.enforceQuota(now: Self.now, protectedChats: [chat.rowID], evictUnlessOpen: Self.nothingOpen)
        let held = try cache.messages(chatRowID: chat.rowID, afterSequence: 0, limit: 10_000).map(\.sequence)
        #expect(held == Array((500 - CacheQuota.inUseKeepsNewest + 1)...500))
    }

    @Test func chatsInUseAreProtected() throws {
        let cache = try makeCache()
        _ = try cache.applyChatList([entry("a", "One", created: 1)])
        let chat = try #require(try cache.chat(id: "a"))
        try cache.storeMessages([message(1), message(2)], chatRowID: chat.rowID)
        try cache.setQuota(bytes: 10)
        let report = try cache.enforceQuota(now: Date(), protectedChats: [chat.rowID], evictUnlessOpen: Self.nothingOpen)
        #expect(report.isEmpty)
        #expect(try cache.messageCount(chatRowID: chat.rowID) == 2)
    }

    @Test(arguments: [
        ("500000", Int64(500_000)), ("100M", 100 << 20), ("2G", 2 << 30), ("2g", 2 << 30), ("1.5K", 1536),
        ("100MB", 100_000_000), ("64KiB", 65536), (" 7 ", 7),
    ])
    func sizesParse(text: String, bytes: Int64) throws {
        #expect(try ByteSize.parse(text) == bytes)
    }

    @Test(arguments: ["", "M", "-5M", "12X", "1e9", "5 M B"])
    func badSizesAreRefused(text: String) {
        #expect(throws: ByteSize.ParseError.self) { try ByteSize.parse(text) }
    }

    @Test func defaultQuotaIsFiveHundredMegabytesUntilSet() throws {
        let cache = try makeCache()
        #expect(try cache.quotaBytes() == 500 << 20)
        try cache.setQuota(bytes: 2 << 30)
        #expect(try cache.quotaBytes() == 2 << 30)
        #expect(try cache.status().quotaBytes == 2 << 30)
    }
}
