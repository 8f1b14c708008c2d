import GRDB

/// A user account.
struct UserRecord: Sendable, Equatable {
    var id: String
    var username: String
    var email: String
    var fullName: String?
    var title: String?
    var isActive: Bool
    var isTechnician: Bool
    var isSuperAdmin: Bool
    var createdAt: ServerTimestamp
    var updatedAt: ServerTimestamp
    var lastSeen: ServerTimestamp?

    /// The columns `init(row:)` reads, optionally qualified by a table alias.
    static func columns(of alias: String? = nil) -> String {
        let names = [
            "id", "username", "email", "full_name", "title", "is_active", "is_technician", "is_super_admin",
            "created_at", "updated_at", "last_seen",
        ]
        return names.map { name in alias.map { "\($0).\(name)" } ?? name }.joined(separator: ", ")
    }

    init(row: Row) {
        id = row["id"]
        username = row["username"]
        email = row["email"]
        fullName = row["full_name"]
        title = row["title"]
        isActive = row["is_active"]
        isTechnician = row["is_technician"]
        isSuperAdmin = row["is_super_admin"]
        createdAt = ServerTimestamp(microseconds: row["created_at"])
        updatedAt = ServerTimestamp(microseconds: row["updated_at"])
        lastSeen = (row["last_seen"] as Int64?).map(ServerTimestamp.init(microseconds:))
    }

    init(
        id: String, username: String, email: String, fullName: String?, title: String?, isActive: Bool,
        isTechnician: Bool, isSuperAdmin: Bool = false, createdAt: ServerTimestamp, lastSeen: ServerTimestamp? = nil
    ) {
        self.id = id
        self.username = username
        self.email = email
        self.fullName = fullName
        self.title = title
        self.isActive = isActive
        self.isTechnician = isTechnician
        self.isSuperAdmin = isSuperAdmin
        self.createdAt = createdAt
        self.updatedAt = createdAt
        self.lastSeen = lastSeen
    }
}

/// A help-desk request, which is one chat.
struct ChatRecord: Sendable, Equatable {
    var id: String
    var title: String
    var requesterID: String
    var status: RequestStatus
    var createdAt: ServerTimestamp

    init(row: Row) {
        id = row["id"]
        title = row["title"]
        requesterID = row["requester_id"]
        status = RequestStatus.with(id: row["status_id"])
        createdAt = ServerTimestamp(microseconds: row["created_at"])
    }
}

/// The sender as embedded in a message.
struct SenderSummary: Sendable, Equatable {
    var id: String
    var username: String
    var fullName: String?
    var email: String
}

/// One stored message with its sender.
struct MessageRecord: Sendable, Equatable {
    var id: String
    var requestID: String
    var sender: SenderSummary?
    var content: String
    var sequenceNumber: Int64
    var isScreenshot: Bool
    var screenshotFileName: String?
    var fileName: String?
    var fileSize: Int64?
    var fileMimeType: String?
    var fileID: Int64?
    var clientTempID: String?
    var createdAt: ServerTimestamp
    var updatedAt: ServerTimestamp

    var senderID: String? { sender?.id }

    /// Selects every column `init(row:)` reads; join `users u` on the sender.
    static let selection = """
        SELECT m.id, m.request_id, m.sender_id, m.content, m.sequence_number, m.is_screenshot,
               m.screenshot_file_name, m.file_name, m.file_size, m.file_mime_type, m.file_id,
               m.client_temp_id, m.created_at, m.updated_at,
               u.username AS sender_username, u.full_name AS sender_full_name, u.email AS sender_email
        FROM messages m LEFT JOIN users u ON u.id = m.sender_id
        """

    init(row: Row) {
        id = row["id"]
        requestID = row["request_id"]
        if let senderID: String = row["sender_id"] {
            sender = SenderSummary(
                id: senderID, username: row["sender_username"] ?? "", fullName: row["sender_full_name"],
                email: row["sender_email"] ?? "")
        }
        content = row["content"]
        sequenceNumber = row["sequence_number"]
        isScreenshot = row["is_screenshot"]
        screenshotFileName = row["screenshot_file_name"]
        fileName = row["file_name"]
        fileSize = row["file_size"]
        fileMimeType = row["file_mime_type"]
        fileID = row["file_id"]
        clientTempID = row["client_temp_id"]
        createdAt = ServerTimestamp(microseconds: row["created_at"])
        updatedAt = ServerTimestamp(microseconds: row["updated_at"])
    }
}

/// Attachment fields a sender may put on a message.
struct MessageAttachment: Sendable, Equatable {
    var isScreenshot = false
    var screenshotFileName: String?
    var fileName: String?
    var fileSize: Int64?
    var fileMimeType: String?
    var fileID: Int64?

    init(
        isScreenshot: Bool = false, screenshotFileName: String? = nil, fileName: String? = nil,
        fileSize: Int64? = nil, fileMimeType: String? = nil, fileID: Int64? = nil
    ) {
        self.isScreenshot = isScreenshot
        self.screenshotFileName = screenshotFileName
        self.fileName = fileName
        self.fileSize = fileSize
        self.fileMimeType = fileMimeType
        self.fileID = fileID
    }
}

/// How far one user has read one chat.
struct ReadState: Sendable, Equatable {
    var userID: String
    var lastReadSequence: Int64
    var lastReadAt: ServerTimestamp
}

enum MediaKind: String, Sendable {
    case chatFile = "chat_files"
    case screenshot = "screenshots"
}

enum UploadStatus: String, Sendable {
    case completed, pending, failed
}

/// Metadata of a chat file or a screenshot (the bytes are fetched separately).
struct MediaRecord: Sendable, Equatable {
    var kind: MediaKind
    var id: Int64
    var requestID: String
    /// Chat files: the uploader's name; screenshots: the stored name.
    var originalFilename: String
    /// Chat files: the name on the server's disk; screenshots: `filename`.
    var storedFilename: String
    var fileSize: Int64
    var mimeType: String
    var uploadStatus: UploadStatus
    var isCorrupted: Bool
    var fileHash: String?
    var createdAt: ServerTimestamp

    static func selection(_ kind: MediaKind) -> String {
        switch kind {
        case .chatFile:
            "SELECT id, request_id, original_filename, stored_filename, file_size, mime_type, upload_status, is_corrupted, file_hash, created_at FROM chat_files"
        case .screenshot:
            "SELECT id, request_id, filename AS original_filename, filename AS stored_filename, file_size, mime_type, upload_status, is_corrupted, file_hash, created_at FROM screenshots"
        }
    }

    init(kind: MediaKind, row: Row) {
        self.kind = kind
        id = row["id"]
        requestID = row["request_id"]
        originalFilename = row["original_filename"]
        storedFilename = row["stored_filename"]
        fileSize = row["file_size"]
        mimeType = row["mime_type"]
        uploadStatus = UploadStatus(rawValue: row["upload_status"]) ?? .failed
        isCorrupted = row["is_corrupted"]
        fileHash = row["file_hash"]
        createdAt = ServerTimestamp(microseconds: row["created_at"])
    }
}
