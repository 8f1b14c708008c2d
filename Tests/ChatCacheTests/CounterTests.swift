import ChatCache
import Foundation
import Logging
import Testing
import TestSupport

/// Hit and miss counters and the status that shows them.
struct CounterTests {
    @Test func countersAddUpAndSurviveReopening() throws {
        let directory = URL(fileURLWithPath: try makeTemporaryDirectory("chatfs-cache-test"))
        do {
            let cache = try ChatCache(directory: directory, logger: Logger(label: "test"))
            try cache.recordAccess(counters: [.mediaHits: 3, .mediaMisses: 1], chats: [:], media: [:])
            try cache.recordAccess(counters: [.mediaHits: 1, .chatMisses: 2, .chatHits: 6], chats: [:], media: [:])
        }
        let reopened = try ChatCache(directory: directory, logger: Logger(label: "test"))
        #expect(try reopened.counters() == [.mediaHits: 4, .mediaMisses: 1, .chatHits: 6, .chatMisses: 2])
        let status = try reopened.status()
        #expect(status.mediaHits == 4 && status.mediaMisses == 1 && status.mediaHitRate == 0.8)
        #expect(status.chatHits == 6 && status.chatMisses == 2 && status.chatHitRate == 0.75)
    }

    @Test func accessTimesOnlyMoveForward() throws {
        let cache = try makeCache()
        _ = try cache.applyChatList([entry("a", "One", created: 1)])
        let chat = try #require(try cache.chat(id: "a"))
        let later = Date(timeIntervalSince1970: 2_000_000_000), earlier = Date(timeIntervalSince1970: 1_900_000_000)
        try cache.recordAccess(counters: [:], chats: [chat.rowID: later], media: [:])
        try cache.recordAccess(counters: [:], chats: [chat.rowID: earlier], media: [:])
        #expect(try cache.syncState(chatRowID: chat.rowID).lastVisitedAt == later)
    }

    @Test func statusShowsUsageQuotaAndPerChatMedia() throws {
        let cache = try makeCache()
        _ = try cache.applyChatList([entry("a", "One", created: 1)])
        try cache.setQuota(bytes: 10_000)
        _ = try cache.applyMediaList(chatID: "a", [
            MediaCacheTests.item(id: 1, name: "a.png", size: 1000), MediaCacheTests.item(id: 2, name: "b.png", size: 500),
            MediaCacheTests.item(id: 3, name: "c.png", size: 9, status: "pending"),
        ])
        let records = try cache.media(chatID: "a")
        try storeBlob(cache, records[0].rowID, bytes: [UInt8](repeating: 0, count: 1000))
        try cache.setPinned(mediaRowID: records[1].rowID, true)
        let status = try cache.status()
        #expect(status.quotaBytes == 10_000 && status.usedBytes == 1000 && status.usedPercent == 10 && status.mediaBytes == 1000)
        #expect(status.mediaHitRate == nil)
        let chat = try #require(status.chats.first)
        #expect(chat.mediaFiles == 2 && chat.mediaBytes == 1000 && chat.pinnedBytes == 500)
        #expect(status.pinned == [CacheStatus.Pinned(chat: "One", name: "2026-02-10-b.png", bytes: 500, cached: false)])
        // The JSON form carries the new fields under these names (documented; never renamed).
        let encoder = JSONEncoder()
        let json = try #require(try JSONSerialization.jsonObject(with: encoder.encode(status)) as? [String: Any])
        for key in ["quotaBytes", "usedBytes", "usedPercent", "messageBytes", "mediaBytes", "mediaHits", "mediaMisses",
                    "chatHits", "chatMisses", "pinned", "pendingSends", "failedSends", "chats"] {
            #expect(json[key] != nil, "\(key)")
        }
        let text = ChatCache.render(status, width: nil)
        #expect(text.contains("quota:") && text.contains("(10.0 %)") && text.contains("2026-02-10-b.png"))
    }
}
