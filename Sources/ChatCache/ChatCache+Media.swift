import Foundation
import GRDB

/// An attachment as `media/` lists it.
public struct MediaRecord: Sendable, Equatable, FetchableRecord {
    public var rowID: Int64
    /// The server's chat id.
    public var chatID: String
    /// The listed name (see `MediaNames`): safe, unique in the chat, stable.
    public var name: String
    /// Bytes: the server's figure, the downloaded size once cached.
    public var size: Int
    /// The upload time.
    public var createdAt: Date
    public var mimeType: String?
    public var pinned: Bool
    public var isCached: Bool
    /// Hex, lower case; known once downloaded (or when the server gave it).
    public var sha256: String?
    /// `screenshot` or `file` (`AttachmentKind`).
    public var kind: String
    public var serverID: Int
    /// The server's `uploadStatus`: `completed`, or `pending` where the server serves those.
    public var uploadStatus: String
    /// The cached bytes matched the server's sha256 (false while not cached, or cached
    /// while the upload was pending and the server had no hash yet).
    public var verified: Bool

    public init(rowID: Int64, chatID: String, name: String, size: Int, createdAt: Date, mimeType: String?, pinned: Bool,
                isCached: Bool, sha256: String?, kind: String, serverID: Int, uploadStatus: String, verified: Bool) {
        self.rowID = rowID
        self.chatID = chatID
        self.name = name
        self.size = size
        self.createdAt = createdAt
        self.mimeType = mimeType
        self.pinned = pinned
        self.isCached = isCached
        self.sha256 = sha256
        self.kind = kind
        self.serverID = serverID
        self.uploadStatus = uploadStatus
        self.verified = verified
    }

    static let columns =
        "rowID, chatID, name, size, createdAt, mimeType, pinned, blobName IS NOT NULL AS isCached, sha256, kind, serverID, uploadStatus, verified"

    /// Decoded by column name (see `ChatRecord`).
    public init(row: Row) {
        rowID = row["rowID"]
        chatID = row["chatID"]
        name = row["name"]
        size = row["size"]
        createdAt = Date(timeIntervalSince1970: row["createdAt"])
        mimeType = row["mimeType"]
        pinned = row["pinned"]
        isCached = row["isCached"]
        sha256 = row["sha256"]
        kind = row["kind"]
        serverID = row["serverID"]
        uploadStatus = row["uploadStatus"]
        verified = row["verified"]
    }
}

/// An attachment as sync found it in the server's listing (untrusted: the cache bounds it).
public struct IncomingMedia: Sendable, Equatable {
    public var kind: AttachmentKind
    public var serverID: Int
    public var originalName: String
    /// nil when the server did not say; the download's size then stands.
    public var size: Int?
    public var mimeType: String?
    public var createdAt: Date
    public var uploadStatus: String
    public var corrupted: Bool

    public init(kind: AttachmentKind, serverID: Int, originalName: String, size: Int?, mimeType: String?,
                createdAt: Date, uploadStatus: String, corrupted: Bool) {
        self.kind = kind
        self.serverID = serverID
        self.originalName = originalName
        self.size = size
        self.mimeType = mimeType
        self.createdAt = createdAt
        self.uploadStatus = uploadStatus
        self.corrupted = corrupted
    }

    /// Whether the server hands out the bytes: a completed upload, or a pending one where
    /// the server serves it from its temporary copy (the deployed backend, whose upload
    /// worker may never finish it). Failed and corrupted uploads never are.
    public func isServed(pendingUploadsServed: Bool) -> Bool {
        !corrupted && (uploadStatus == "completed" || (uploadStatus == "pending" && pendingUploadsServed))
    }
}

/// What applying a media listing changed.
public struct MediaListChanges: Sendable, Equatable {
    /// Listed names that appeared, disappeared, or changed size.
    public var names: [String] = []
    public var isEmpty: Bool { names.isEmpty }
}

/// Only what the server serves is listed (`IncomingMedia.isServed`): a pending upload on the
/// delta server cannot be read yet (202) and a failed or corrupted one never can (410).
/// They stay in the table, so they appear under their reserved name once served.
extension ChatCache {
    static let listedMedia = "served = 1"
    /// The longest original name stored (the listed name is cut to 255 bytes anyway).
    static let maxOriginalNameBytes = 1024

    /// The folder of cached attachments (0700; blobs are 0600).
    public var mediaDirectory: URL { directory.appendingPathComponent("media") }

    // MARK: reading (the tree)

    /// The chat's listed attachments, by name.
    public func media(chatID: String) throws -> [MediaRecord] {
        try pool.read { db in
            try MediaRecord.fetchAll(db.cachedStatement(sql: "SELECT \(MediaRecord.columns) FROM media WHERE chatID = ? AND \(Self.listedMedia) ORDER BY name"),
                             arguments: [chatID])
        }
    }

    public func media(rowID: Int64) throws -> MediaRecord? {
        try pool.read { db in
            try MediaRecord.fetchOne(db.cachedStatement(sql: "SELECT \(MediaRecord.columns) FROM media WHERE rowID = ? AND \(Self.listedMedia)"),
                             arguments: [rowID])
        }
    }

    public func media(chatID: String, name: String) throws -> MediaRecord? {
        try pool.read { db in
            try MediaRecord.fetchOne(db.cachedStatement(sql: "SELECT \(MediaRecord.columns) FROM media WHERE chatID = ? AND name = ? AND \(Self.listedMedia)"),
                             arguments: [chatID, name])
        }
    }

    /// Pinned attachments are never evicted (and `cache clear` keeps them without --all).
    /// The user's choice exists nowhere else: on disk before this returns.
    public func setPinned(mediaRowID: Int64, _ pinned: Bool) throws {
        try durableWrite { db in
            try db.execute(sql: "UPDATE media SET pinned = ? WHERE rowID = ?", arguments: [pinned, mediaRowID])
        }
    }

    /// The blob of a cached attachment, if its file is there.
    public func cachedBlobPath(mediaRowID: Int64) throws -> String? {
        let name = try pool.read { db in
            try String.fetchOne(db.cachedStatement(sql: "SELECT blobName FROM media WHERE rowID = ?"), arguments: [mediaRowID])
        }
        guard let name else { return nil }
        let path = mediaDirectory.appendingPathComponent(name).path
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }

    // MARK: writing (sync)

    /// Makes the stored attachments of a chat equal to the server's listing: new ones get a
    /// name (oldest first), known ones keep theirs, vanished ones go with their blobs. A
    /// cached blob whose size changed, or whose upload turned corrupted, is dropped.
    /// `pendingUploadsServed`: the server serves pending uploads (the deployed backend).
    public func applyMediaList(chatID: String, _ items: [IncomingMedia], pendingUploadsServed: Bool = false) throws -> MediaListChanges {
        var staleBlobs: [String] = []
        let changes = try pool.write { db -> MediaListChanges in
            var changes = MediaListChanges()
            struct Known { var rowID: Int64; var name: String; var size: Int; var listed: Bool; var blobName: String? }
            var known: [String: Known] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT kind, serverID, rowID, name, size, \(Self.listedMedia) AS listed, blobName FROM media WHERE chatID = ?
                """, arguments: [chatID]) {
                known["\(row["kind"] as String)/\(row["serverID"] as Int)"] =
                    Known(rowID: row["rowID"], name: row["name"], size: row["size"], listed: row["listed"], blobName: row["blobName"])
            }
            var seen: Set<String> = []
            for item in items.sorted(by: { ($0.createdAt, $0.kind.rawValue, $0.serverID) < ($1.createdAt, $1.kind.rawValue, $1.serverID) }) {
                let key = "\(item.kind.rawValue)/\(item.serverID)"
                guard seen.insert(key).inserted else { continue }
                let original = DirectoryNames.truncated(item.originalName, toBytes: Self.maxOriginalNameBytes)
                let size = max(0, item.size ?? 0)
                let listed = item.isServed(pendingUploadsServed: pendingUploadsServed)
                guard let old = known[key] else {
                    let name = try Self.uniqueMediaName(db, chatID: chatID, originalName: item.originalName,
                                                        createdAt: item.createdAt, kind: item.kind, serverID: item.serverID)
                    try db.execute(sql: """
                        INSERT INTO media (chatID, kind, serverID, originalName, name, size, mimeType, createdAt, uploadStatus,
                            corrupted, served)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """, arguments: [chatID, item.kind.rawValue, item.serverID, original, name, size, item.mimeType,
                                         item.createdAt.timeIntervalSince1970, item.uploadStatus, item.corrupted, listed])
                    if listed { changes.names.append(name) }
                    continue
                }
                // No size in the listing: the stored (downloaded) size stands.
                let newSize = item.size == nil ? old.size : size
                let blobIsStale = old.blobName != nil && (!listed || newSize != old.size)
                if blobIsStale, let blob = old.blobName { staleBlobs.append(blob) }
                try db.execute(sql: """
                    UPDATE media SET originalName = ?, size = ?, mimeType = ?, uploadStatus = ?, corrupted = ?, served = ?,
                        blobName = CASE WHEN ? THEN NULL ELSE blobName END,
                        blobBytes = CASE WHEN ? THEN 0 ELSE blobBytes END,
                        sha256 = CASE WHEN ? THEN NULL ELSE sha256 END,
                        verified = CASE WHEN ? THEN 0 ELSE verified END
                    WHERE rowID = ?
                    """, arguments: [original, newSize, item.mimeType, item.uploadStatus, item.corrupted, listed,
                                     blobIsStale, blobIsStale, blobIsStale, blobIsStale, old.rowID])
                if listed != old.listed || (listed && newSize != old.size) { changes.names.append(old.name) }
            }
            for (key, old) in known where !seen.contains(key) {
                try db.execute(sql: "DELETE FROM media WHERE rowID = ?", arguments: [old.rowID])
                if let blob = old.blobName { staleBlobs.append(blob) }
                if old.listed { changes.names.append(old.name) }
            }
            return changes
        }
        removeBlobFiles(staleBlobs)
        return changes
    }

    /// Cached blobs of a chat that were stored unverified (the upload was pending, the server
    /// had no hash) and whose upload the server now lists as completed: their hash is known.
    public func unverifiedBlobs(chatID: String) throws -> [MediaRecord] {
        try pool.read { db in
            try MediaRecord.fetchAll(db, sql: """
                SELECT \(MediaRecord.columns) FROM media
                WHERE chatID = ? AND \(Self.listedMedia) AND uploadStatus = 'completed' AND blobName IS NOT NULL AND verified = 0
                """, arguments: [chatID])
        }
    }

    /// Marks a cached blob verified if it is still the one whose digest is `sha256`
    /// (compare-and-set: a blob dropped or replaced meanwhile stays as it is).
    public func markBlobVerified(mediaRowID: Int64, sha256: String) throws {
        try pool.write { db in
            try db.execute(sql: "UPDATE media SET verified = 1 WHERE rowID = ? AND blobName IS NOT NULL AND sha256 = ?",
                           arguments: [mediaRowID, sha256])
        }
    }

    /// When the chat's media list was last fetched, and the chat's newest sequence then.
    public func mediaListing(chatRowID: Int64) throws -> (listedAt: Date?, sequence: Int) {
        try pool.read { db in
            guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT mediaListedAt, mediaListedSequence FROM chat WHERE rowID = ?"),
                                             arguments: [chatRowID]) else { throw CacheError.unknownChat(chatRowID) }
            return ((row["mediaListedAt"] as Double?).map(Date.init(timeIntervalSince1970:)), row["mediaListedSequence"])
        }
    }

    public func markMediaListed(chatRowID: Int64, at date: Date, sequence: Int) throws {
        try pool.write { db in
            try db.execute(sql: "UPDATE chat SET mediaListedAt = ?, mediaListedSequence = ? WHERE rowID = ?",
                           arguments: [date.timeIntervalSince1970, sequence, chatRowID])
        }
    }

    static func uniqueMediaName(_ db: Database, chatID: String, originalName: String, createdAt: Date,
                                kind: AttachmentKind, serverID: Int) throws -> String {
        var failure: (any Error)?
        let name = MediaNames.uniqueName(originalName: originalName, createdAt: createdAt, kind: kind,
                                         serverID: serverID) { candidate in
            do {
                return try Bool.fetchOne(db, sql: "SELECT EXISTS(SELECT 1 FROM media WHERE chatID = ? AND name = ?)",
                                         arguments: [chatID, candidate]) ?? true
            } catch {
                failure = error
                return true
            }
        }
        if let failure { throw failure }
        return name
    }

    /// Forgets the attachments (and blobs) of chats the chat list no longer has.
    public func removeMediaOfVanishedChats() throws {
        let blobs = try pool.write { db -> [String] in
            let blobs = try String.fetchAll(db, sql: "SELECT blobName FROM media WHERE blobName IS NOT NULL AND chatID NOT IN (SELECT id FROM chat)")
            try db.execute(sql: "DELETE FROM media WHERE chatID NOT IN (SELECT id FROM chat)")
            return blobs
        }
        removeBlobFiles(blobs)
    }

    /// A fresh temporary file path in the media folder (created 0700 when needed): downloads
    /// land there and are renamed into place only once verified.
    public func temporaryBlobPath(mediaRowID: Int64) throws -> String {
        try PrivateFiles.makeDirectory(mediaDirectory)
        return mediaDirectory.appendingPathComponent("\(Self.temporaryBlobPrefix)\(mediaRowID)-\(UUID().uuidString)").path
    }

    static let temporaryBlobPrefix = ".download-"

    /// Moves a verified download into place and records it. Returns the blob's path.
    /// `verified`: the bytes matched the server's fileHash (false when it gave none yet).
    public func storeBlob(mediaRowID: Int64, from temporaryPath: String, bytes: Int, sha256: String, verified: Bool,
                          now: Date = Date()) throws -> String {
        let name = "\(mediaRowID).blob"
        let path = mediaDirectory.appendingPathComponent(name).path
        guard rename(temporaryPath, path) == 0 else {
            throw CacheError.cannotOpen(path, String(cString: strerror(errno)))
        }
        try pool.write { db in
            try db.execute(sql: """
                UPDATE media SET blobName = ?, blobBytes = ?, size = ?, sha256 = ?, verified = ?, lastAccess = ? WHERE rowID = ?
                """, arguments: [name, bytes, bytes, sha256, verified, now.timeIntervalSince1970, mediaRowID])
            if db.changesCount == 0 { unlink(path) }  // the attachment went away meanwhile
        }
        return path
    }

    /// Forgets a cached blob (the attachment stays listed and downloads again on open).
    /// Returns the bytes freed.
    @discardableResult
    public func dropBlob(mediaRowID: Int64) throws -> Int64 {
        let dropped = try pool.write { db -> (String, Int64)? in
            guard let row = try Row.fetchOne(db, sql: "SELECT blobName, blobBytes FROM media WHERE rowID = ? AND blobName IS NOT NULL",
                                             arguments: [mediaRowID]) else { return nil }
            try db.execute(sql: "UPDATE media SET blobName = NULL, blobBytes = 0, verified = 0 WHERE rowID = ?", arguments: [mediaRowID])
            return (row["blobName"], row["blobBytes"])
        }
        guard let (name, bytes) = dropped else { return 0 }
        removeBlobFiles([name])
        return bytes
    }

    func removeBlobFiles(_ names: [String]) {
        for name in names { unlink(mediaDirectory.appendingPathComponent(name).path) }
    }

    /// Removes files in the media folder no row points to: blobs of rows gone in a crash,
    /// and downloads interrupted more than `staleAfter` ago (a running download is younger).
    public func removeStrayBlobs(staleAfter: TimeInterval = 3600, now: Date = Date()) throws {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: mediaDirectory.path)) ?? []
        guard !names.isEmpty else { return }
        let referenced = Set(try pool.read { try String.fetchAll($0, sql: "SELECT blobName FROM media WHERE blobName IS NOT NULL") })
        for name in names where !referenced.contains(name) {
            let path = mediaDirectory.appendingPathComponent(name).path
            if name.hasPrefix(Self.temporaryBlobPrefix) {
                let modified = (try? FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date) ?? now
                guard now.timeIntervalSince(modified) > staleAfter else { continue }
            }
            unlink(path)
        }
    }
}
