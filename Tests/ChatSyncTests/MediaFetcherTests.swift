import ChatAPI
import ChatCache
import Checksum
import Foundation
import Logging
import Locking
import Testing
import TestSupport
@testable import ChatSync

/// Attachments on demand: verified downloads, one download per attachment, hits and misses,
/// and the quota held after a download.
struct MediaFetcherTests {
    final class Fixture: Sendable {
        let service = FakeChatService(generation: .delta, messages: 1...3)
        let cache: ChatCache
        let engine: SyncEngine
        let events = Locked<[ChangeEvent]>([])

        init(attachments: [FakeMedia.Attachment]) throws {
            let directory = URL(fileURLWithPath: try makeTemporaryDirectory("chatfs-media-test"))
            cache = try ChatCache(directory: directory, logger: Logger(label: "test"))
            let changes = ChangeFeed()
            engine = SyncEngine(service: service, cache: cache, changes: changes, logger: Logger(label: "test"))
            changes.subscribe { [weak self] event in self?.events.withLock { $0.append(event) } }
            for attachment in attachments { service.addAttachment(attachment) }
            try engine.refreshChatList()
            try engine.mediaList().refresh(chat)
        }

        var chat: ChatRecord { get throws { try #require(try cache.chats().first) } }

        func record(_ serverID: Int) throws -> MediaRecord {
            try #require(try cache.media(chatID: service.chatID).first { $0.serverID == serverID })
        }

        func open(_ serverID: Int, timeout: Duration = .seconds(10)) throws -> String {
            try engine.openMedia(rowID: record(serverID).rowID, timeout: timeout)
        }

        func close(_ serverID: Int) throws { engine.mediaClosed(rowID: try record(serverID).rowID) }

        /// Files in the media folder (blobs and temporaries).
        var mediaFolder: [String] { (try? FileManager.default.contentsOfDirectory(atPath: cache.mediaDirectory.path)) ?? [] }
    }

    static let jpeg = [UInt8](repeating: 0xFF, count: 2000) + Array("the end".utf8)

    static func file(_ id: Int, _ name: String = "report.pdf", bytes: [UInt8] = jpeg) -> FakeMedia.Attachment {
        FakeMedia.Attachment(kind: .chatFile, id: id, name: name, bytes: bytes)
    }

    @Test func aDownloadIsVerifiedStoredAndThenServedWithoutTheNetwork() throws {
        let fixture = try Fixture(attachments: [Self.file(1)])
        #expect(try fixture.record(1).name == "2026-02-10-report.pdf")
        let path = try fixture.open(1)
        #expect(FileManager.default.contents(atPath: path) == Data(Self.jpeg))
        try fixture.close(1)
        let record = try fixture.record(1)
        #expect(record.isCached && record.size == Self.jpeg.count)
        #expect(record.sha256 == (try SHA256Digest.hex(of: Self.jpeg)))

        let requests = fixture.service.mediaState
        #expect(try fixture.open(1) == path)
        try fixture.close(1)
        #expect(fixture.service.mediaState.totalDownloads == 1)
        #expect(fixture.service.mediaState.infoRequests == requests.infoRequests)
        try fixture.engine.tracker.flush(to: fixture.cache)
        #expect(try fixture.cache.counters()[.mediaMisses] == 1)
        #expect(try fixture.cache.counters()[.mediaHits] == 1)
    }

    @Test func aHashMismatchKeepsNothingAndIsReported() throws {
        var corrupt = Self.file(1)
        corrupt.servesCorruptBytes = true
        let fixture = try Fixture(attachments: [corrupt])
        #expect {
            try fixture.open(1)
        } throws: { error in
            guard case MediaError.hashMismatch = error else { return false }
            return true
        }
        #expect(try !fixture.record(1).isCached)
        #expect(fixture.mediaFolder.isEmpty)
        #expect(try fixture.cache.meta(.lastMediaError)?.contains("sha256") == true)
        // Nothing was cached: the next open asks the server again.
        _ = try? fixture.open(1)
        #expect(fixture.service.mediaState.totalDownloads == 2)
    }

    @Test func aShorterBodyThanAnnouncedKeepsNothing() throws {
        var cut = Self.file(1)
        cut.servedPrefix = 10
        let fixture = try Fixture(attachments: [cut])
        #expect(throws: MediaError.sizeMismatch(name: "Fake/media/2026-02-10-report.pdf", expected: Self.jpeg.count, received: 10)) {
            try fixture.open(1)
        }
        #expect(fixture.mediaFolder.isEmpty)
    }

    @Test func concurrentOpensDownloadOnce() throws {
        let fixture = try Fixture(attachments: [Self.file(1)])
        fixture.service.media.withLock { $0.downloadDelay = 0.3 }
        let paths = Locked<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 6) { _ in
            if let path = try? fixture.open(1) { paths.withLock { $0.append(path) } }
        }
        #expect(paths.withLock { $0.count } == 6)
        #expect(Set(paths.withLock { $0 }).count == 1)
        #expect(fixture.service.mediaState.totalDownloads == 1)
    }

    @Test func serverRefusalsBecomeReadableErrors() throws {
        var missing = Self.file(1, "gone.txt")
        missing.missing = true
        var pending = Self.file(2, "slow.txt")
        pending.pendingAnswers = 2
        var stuck = Self.file(3, "stuck.txt")
        stuck.pendingAnswers = 1000
        let fixture = try Fixture(attachments: [missing, pending, stuck])
        #expect(throws: MediaError.notOnServer(name: "Fake/media/2026-02-10-gone.txt")) { try fixture.open(1) }
        // Pending twice, then served: the open waits within its timeout.
        #expect(FileManager.default.contents(atPath: try fixture.open(2)) == Data(Self.jpeg))
        #expect {
            try fixture.open(3, timeout: .seconds(2))
        } throws: { error in
            switch error as? MediaError {
            case .stillPending, .timedOut: true
            default: false
            }
        }
        #expect(try !fixture.record(3).isCached)
    }

    @Test func aDownloadAboveTheQuotaEvictsTheLeastRecentlyUsedButNeverAnOpenFile() throws {
        let blob = [UInt8](repeating: 1, count: 1000)
        let fixture = try Fixture(attachments: [Self.file(1, "a.bin", bytes: blob), Self.file(2, "b.bin", bytes: blob),
                                                Self.file(3, "c.bin", bytes: blob)])
        try fixture.cache.setQuota(bytes: 2000)  // evict above 1,800 down to 1,600
        _ = try fixture.open(1)  // stays open
        _ = try fixture.open(2)
        try fixture.close(2)
        _ = try fixture.open(3)
        #expect(try fixture.record(1).isCached)
        #expect(try !fixture.record(2).isCached)
        #expect(try fixture.record(3).isCached)
        #expect(try fixture.cache.usage().mediaBytes == 2000)  // over by the one download in flight
        let chatRowID = try fixture.chat.rowID
        #expect(fixture.events.withLock { $0 }.contains(.mediaChanged(chatRowID: chatRowID, names: ["2026-02-10-b.bin"])))
        // Once closed, the next download may evict it.
        try fixture.close(1)
        try fixture.close(3)
        _ = try fixture.open(2)
        #expect(try fixture.cache.usage().mediaBytes <= 1600)
        #expect(try fixture.record(2).isCached)
    }

    @Test func theMediaListIsFetchedWhenTheChatChangesAndAnnounced() throws {
        let fixture = try Fixture(attachments: [Self.file(1)])
        let chatRowID = try fixture.chat.rowID
        #expect(fixture.events.withLock { $0 }.contains(.mediaChanged(chatRowID: chatRowID, names: ["2026-02-10-report.pdf"])))
        let sync = fixture.engine.mediaList()
        #expect(try !sync.isDue(fixture.chat))
        fixture.service.append(4...4)
        fixture.service.addAttachment(FakeMedia.Attachment(kind: .screenshot, id: 9, name: "0a1b2c3d_error_4e5f6a7b.jpg", bytes: [1, 2, 3]))
        try fixture.engine.refreshChatList()
        #expect(try sync.isDue(fixture.chat))
        try sync.refresh(fixture.chat)
        #expect(fixture.events.withLock { $0 }.contains(.mediaChanged(chatRowID: chatRowID, names: ["2026-02-10-error.jpg"])))
        #expect(try fixture.cache.media(chatID: fixture.service.chatID).map(\.name) == ["2026-02-10-error.jpg", "2026-02-10-report.pdf"])
        #expect(fixture.service.mediaState.listRequests == 4)  // two per refresh
    }

    @Test func visitsCountAsHitsOrMissesOncePerVisit() throws {
        let fixture = try Fixture(attachments: [])
        let chatRowID = try fixture.chat.rowID
        fixture.engine.visit(chatRowID: chatRowID, firstPageTimeout: .seconds(10))  // never synced: a fetch
        fixture.engine.visit(chatRowID: chatRowID, firstPageTimeout: .seconds(10))  // the same visit
        try fixture.engine.tracker.flush(to: fixture.cache)
        #expect(try fixture.cache.counters() == [.chatMisses: 1])
        #expect(try fixture.cache.syncState(chatRowID: chatRowID).lastVisitedAt != nil)
    }
}
