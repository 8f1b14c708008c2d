import ChatCache
import Foundation
import Testing

/// The media table: names, what is listed, and what a new listing changes.
struct MediaCacheTests {
    static let chatID = "a"
    static let day = Date(timeIntervalSince1970: 1_770_711_342)  // 2026-02-10T08:15:42Z

    static func item(_ kind: AttachmentKind = .file, id: Int, name: String, size: Int? = 10, status: String = "completed",
                     corrupted: Bool = false, at date: Date = day) -> IncomingMedia {
        IncomingMedia(kind: kind, serverID: id, originalName: name, size: size, mimeType: "image/jpeg", createdAt: date,
                      uploadStatus: status, corrupted: corrupted)
    }

    func cacheWithChat() throws -> ChatCache {
        let cache = try makeCache()
        _ = try cache.applyChatList([entry(Self.chatID, "One", created: 1)])
        return cache
    }

    @Test func namesAreTheUploadDayAndTheReadableOriginalName() throws {
        let cache = try cacheWithChat()
        let changes = try cache.applyMediaList(chatID: Self.chatID, [
            Self.item(.screenshot, id: 7, name: "1a2b3c4d_vpn-error_9f8e7d6c.jpg"),
            Self.item(id: 3, name: "report/../final.pdf"),
        ])
        #expect(Set(changes.names) == ["2026-02-10-vpn-error.jpg", "2026-02-10-report／..／final.pdf"])
        #expect(try cache.media(chatID: Self.chatID).map(\.name) == ["2026-02-10-report／..／final.pdf", "2026-02-10-vpn-error.jpg"])
        let record = try #require(try cache.media(chatID: Self.chatID, name: "2026-02-10-vpn-error.jpg"))
        #expect(record.kind == "screenshot" && record.serverID == 7 && record.size == 10 && !record.isCached && !record.pinned)
        #expect(try cache.media(rowID: record.rowID) == record)
    }

    @Test func aCollisionGetsTheKindAndIdAndNamesStayStable() throws {
        let cache = try cacheWithChat()
        let later = Self.day.addingTimeInterval(60)
        _ = try cache.applyMediaList(chatID: Self.chatID, [
            Self.item(id: 12, name: "log.txt", at: later),
            Self.item(.screenshot, id: 12, name: "log.txt", at: Self.day),
        ])
        // Named oldest first: the screenshot keeps the plain name.
        #expect(try cache.media(chatID: Self.chatID).map(\.name) == ["2026-02-10-log (file 12).txt", "2026-02-10-log.txt"])
        #expect(try cache.media(chatID: Self.chatID, name: "2026-02-10-log.txt")?.kind == "screenshot")
        // The older one vanishes: the other keeps its name (names never move).
        _ = try cache.applyMediaList(chatID: Self.chatID, [Self.item(id: 12, name: "log.txt", at: later)])
        #expect(try cache.media(chatID: Self.chatID).map(\.name) == ["2026-02-10-log (file 12).txt"])
    }

    @Test func longNamesKeepTheirExtensionWithin255Bytes() throws {
        let cache = try cacheWithChat()
        _ = try cache.applyMediaList(chatID: Self.chatID, [Self.item(id: 1, name: String(repeating: "é", count: 300) + ".png")])
        let name = try #require(try cache.media(chatID: Self.chatID).first?.name)
        #expect(name.utf8.count <= 255 && name.hasSuffix(".png") && name.hasPrefix("2026-02-10-é"))
    }

    @Test func pendingFailedAndCorruptedUploadsAreNotListedUntilCompleted() throws {
        let cache = try cacheWithChat()
        let first = try cache.applyMediaList(chatID: Self.chatID, [
            Self.item(id: 1, name: "pending.png", status: "pending"),
            Self.item(id: 2, name: "failed.png", status: "failed"),
            Self.item(id: 3, name: "bad.png", corrupted: true),
        ])
        #expect(first.isEmpty)
        #expect(try cache.media(chatID: Self.chatID).isEmpty)
        #expect(try cache.media(chatID: Self.chatID, name: "2026-02-10-pending.png") == nil)
        let completed = try cache.applyMediaList(chatID: Self.chatID, [
            Self.item(id: 1, name: "pending.png"),
            Self.item(id: 2, name: "failed.png", status: "failed"),
            Self.item(id: 3, name: "bad.png", corrupted: true),
        ])
        #expect(completed.names == ["2026-02-10-pending.png"])
        #expect(try cache.media(chatID: Self.chatID).map(\.name) == ["2026-02-10-pending.png"])
    }

    /// Defect 6 of issue 12: the deployed backend serves pending uploads (and may never finish
    /// them): where it does, they are listed; failed and corrupted ones never are.
    @Test func pendingUploadsAreListedWhereTheServerServesThem() throws {
        let cache = try cacheWithChat()
        let items = [
            Self.item(id: 1, name: "pending.png", status: "pending"),
            Self.item(id: 2, name: "failed.png", status: "failed"),
            Self.item(id: 3, name: "bad.png", status: "pending", corrupted: true),
        ]
        let listed = try cache.applyMediaList(chatID: Self.chatID, items, pendingUploadsServed: true)
        #expect(listed.names == ["2026-02-10-pending.png"])
        let pending = try #require(try cache.media(chatID: Self.chatID, name: "2026-02-10-pending.png"))
        #expect(pending.uploadStatus == "pending")
        #expect(!pending.verified)
        #expect(try cache.media(chatID: Self.chatID).map(\.name) == ["2026-02-10-pending.png"])

        // Cached while pending (no hash to check), then completed: unverified until checked.
        let blob = try storeBlob(cache, pending.rowID, bytes: Array(repeating: 1, count: 10), verified: false)
        #expect(try cache.unverifiedBlobs(chatID: Self.chatID).isEmpty)
        let completed = try cache.applyMediaList(chatID: Self.chatID, [Self.item(id: 1, name: "pending.png")] + items.dropFirst(),
                                                 pendingUploadsServed: true)
        #expect(completed.isEmpty)
        #expect(FileManager.default.fileExists(atPath: blob))
        let unverified = try cache.unverifiedBlobs(chatID: Self.chatID)
        #expect(unverified.map(\.rowID) == [pending.rowID])
        try cache.markBlobVerified(mediaRowID: pending.rowID, sha256: "not the digest")
        #expect(try cache.media(rowID: pending.rowID)?.verified == false)
        try cache.markBlobVerified(mediaRowID: pending.rowID, sha256: try #require(unverified.first?.sha256))
        #expect(try cache.media(rowID: pending.rowID)?.verified == true)
        #expect(try cache.unverifiedBlobs(chatID: Self.chatID).isEmpty)
    }

    @Test func aChangedSizeDropsTheCachedBlob() throws {
        let cache = try cacheWithChat()
        _ = try cache.applyMediaList(chatID: Self.chatID, [Self.item(id: 1, name: "a.png", size: 3)])
        let record = try #require(try cache.media(chatID: Self.chatID).first)
        let blob = try storeBlob(cache, record.rowID, bytes: [1, 2, 3])
        #expect(try cache.media(rowID: record.rowID)?.isCached == true)
        // The same listing again changes nothing.
        #expect(try cache.applyMediaList(chatID: Self.chatID, [Self.item(id: 1, name: "a.png", size: 3)]).isEmpty)
        #expect(FileManager.default.fileExists(atPath: blob))
        let changed = try cache.applyMediaList(chatID: Self.chatID, [Self.item(id: 1, name: "a.png", size: 4)])
        #expect(changed.names == ["2026-02-10-a.png"])
        #expect(try cache.media(rowID: record.rowID)?.isCached == false)
        #expect(!FileManager.default.fileExists(atPath: blob))
    }

    @Test func pinsAreKeptAndBlobsAreFiles() throws {
        let cache = try cacheWithChat()
        _ = try cache.applyMediaList(chatID: Self.chatID, [Self.item(id: 1, name: "a.png", size: 3)])
        let record = try #require(try cache.media(chatID: Self.chatID).first)
        try cache.setPinned(mediaRowID: record.rowID, true)
        #expect(try cache.media(rowID: record.rowID)?.pinned == true)
        let path = try storeBlob(cache, record.rowID, bytes: [1, 2, 3])
        #expect(try cache.cachedBlobPath(mediaRowID: record.rowID) == path)
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(try cache.dropBlob(mediaRowID: record.rowID) == 3)
        #expect(try cache.cachedBlobPath(mediaRowID: record.rowID) == nil)
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func strayFilesInTheMediaFolderAreRemoved() throws {
        let cache = try cacheWithChat()
        _ = try cache.applyMediaList(chatID: Self.chatID, [Self.item(id: 1, name: "a.png", size: 3)])
        let record = try #require(try cache.media(chatID: Self.chatID).first)
        let kept = try storeBlob(cache, record.rowID, bytes: [1, 2, 3])
        let stray = cache.mediaDirectory.appendingPathComponent("999.blob").path
        let running = try cache.temporaryBlobPath(mediaRowID: 5)
        _ = FileManager.default.createFile(atPath: stray, contents: Data([1]))
        _ = FileManager.default.createFile(atPath: running, contents: Data([1]))
        try cache.removeStrayBlobs()
        #expect(FileManager.default.fileExists(atPath: kept))
        #expect(!FileManager.default.fileExists(atPath: stray))
        #expect(FileManager.default.fileExists(atPath: running))  // a download in progress
        try cache.removeStrayBlobs(staleAfter: -1)
        #expect(!FileManager.default.fileExists(atPath: running))
    }
}

/// Stores `bytes` as the blob of a media row, the way a download does (verified against the
/// server's hash unless `verified` is false).
@discardableResult
func storeBlob(_ cache: ChatCache, _ rowID: Int64, bytes: [UInt8], verified: Bool = true, at date: Date = Date()) throws -> String {
    let temporary = try cache.temporaryBlobPath(mediaRowID: rowID)
    #expect(FileManager.default.createFile(atPath: temporary, contents: Data(bytes), attributes: [.posixPermissions: 0o600]))
    return try cache.storeBlob(mediaRowID: rowID, from: temporary, bytes: bytes.count, sha256: "", verified: verified, now: date)
}
