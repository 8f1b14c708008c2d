import Checksum
import Foundation
import GRDB

extension ChatStore {
    /// A new attachment to store (chat file or screenshot).
    struct NewMedia: Sendable {
        var kind: MediaKind
        var requestID: String
        /// Chat files: the uploader's name; screenshots: the stored `filename`.
        var originalFilename: String
        /// Chat files only: the name on the server's disk.
        var storedFilename: String?
        var mimeType: String
        var uploadStatus: UploadStatus
        var isCorrupted: Bool
        var bytes: [UInt8]
        var createdAt: ServerTimestamp

        init(
            kind: MediaKind, requestID: String, originalFilename: String, storedFilename: String? = nil, mimeType: String,
            uploadStatus: UploadStatus = .completed, isCorrupted: Bool = false, bytes: [UInt8],
            createdAt: ServerTimestamp = .now()
        ) {
            self.kind = kind
            self.requestID = requestID
            self.originalFilename = originalFilename
            self.storedFilename = storedFilename
            self.mimeType = mimeType
            self.uploadStatus = uploadStatus
            self.isCorrupted = isCorrupted
            self.bytes = bytes
            self.createdAt = createdAt
        }
    }

    func mediaList(_ kind: MediaKind, requestID: String) async throws -> [MediaRecord] {
        try await database.read { db in
            try Row.fetchAll(
                db, sql: MediaRecord.selection(kind) + " WHERE request_id = ? ORDER BY id", arguments: [requestID]
            ).map { MediaRecord(kind: kind, row: $0) }
        }
    }

    func media(_ kind: MediaKind, id: Int64) async throws -> MediaRecord? {
        try await database.read { db in
            try Row.fetchOne(db, sql: MediaRecord.selection(kind) + " WHERE id = ?", arguments: [id])
                .map { MediaRecord(kind: kind, row: $0) }
        }
    }

    func screenshot(filename: String) async throws -> MediaRecord? {
        try await database.read { db in
            try Row.fetchOne(db, sql: MediaRecord.selection(.screenshot) + " WHERE filename = ?", arguments: [filename])
                .map { MediaRecord(kind: .screenshot, row: $0) }
        }
    }

    func mediaBytes(_ kind: MediaKind, id: Int64) async throws -> [UInt8]? {
        try await database.read { db in
            try Data.fetchOne(db, sql: "SELECT data FROM \(kind.rawValue) WHERE id = ?", arguments: [id]).map { [UInt8]($0) }
        }
    }

    /// What the upload worker does: every pending upload becomes completed, with its sha256.
    /// Returns how many there were.
    func completePendingUploads() async throws -> Int {
        try await database.write { db in
            var completed = 0
            for table in [MediaKind.chatFile.rawValue, MediaKind.screenshot.rawValue] {
                let pending = try Row.fetchAll(db, sql: "SELECT id, data FROM \(table) WHERE upload_status = ?",
                                               arguments: [UploadStatus.pending.rawValue])
                for row in pending {
                    let bytes = [UInt8](row["data"] as Data)
                    try db.execute(sql: "UPDATE \(table) SET upload_status = ?, file_hash = ? WHERE id = ?",
                                   arguments: [UploadStatus.completed.rawValue, try SHA256Digest.hex(of: bytes), row["id"] as Int64])
                    completed += 1
                }
            }
            return completed
        }
    }

    func insertMedia(_ media: NewMedia) async throws -> MediaRecord {
        try await database.write { db in try Self.insertMedia(db, media) }
    }

    /// Stores the bytes with their size and sha256 (none while the upload is pending).
    static func insertMedia(_ db: Database, _ media: NewMedia) throws -> MediaRecord {
        let hash = media.uploadStatus == .pending ? nil : try SHA256Digest.hex(of: media.bytes)
        let common: [(any DatabaseValueConvertible)?] = [
            media.requestID, Int64(media.bytes.count), media.mimeType, media.uploadStatus.rawValue,
            media.isCorrupted, hash, media.createdAt.microseconds, Data(media.bytes),
        ]
        switch media.kind {
        case .chatFile:
            try db.execute(
                sql: """
                    INSERT INTO chat_files (original_filename, stored_filename, request_id, file_size, mime_type,
                        upload_status, is_corrupted, file_hash, created_at, data)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: StatementArguments(
                    [media.originalFilename, media.storedFilename ?? media.originalFilename] + common))
        case .screenshot:
            try db.execute(
                sql: """
                    INSERT INTO screenshots (filename, request_id, file_size, mime_type, upload_status, is_corrupted,
                        file_hash, created_at, data)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: StatementArguments([media.originalFilename] + common))
        }
        let id = db.lastInsertedRowID
        guard let row = try Row.fetchOne(db, sql: MediaRecord.selection(media.kind) + " WHERE id = ?", arguments: [id])
        else { throw DatabaseError(message: "media \(id) vanished after insert") }
        return MediaRecord(kind: media.kind, row: row)
    }
}
