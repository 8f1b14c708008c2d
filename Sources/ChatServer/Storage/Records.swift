import GRDB

/// A user account.
public struct UserRecord: Sendable, Equatable {
    public var id: String
    public var username: String
    public var email: String
    public var fullName: String?
    public var title: String?
    public var isActive: Bool
    public var isTechnician: Bool
    public var isSuperAdmin: Bool
    public var createdAt: ServerTimestamp
    public var updatedAt: ServerTimestamp
    public var lastSeen: ServerTimestamp?

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

    public init(
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
public struct ChatRecord: Sendable, Equatable {
    public var id: String
    public var title: String
    public var requesterID: String
    public var status: RequestStatus
    public var createdAt: ServerTimestamp

    init(row: Row) {
        id = row["id"]
        title = row["title"]
        requesterID = row["requester_id"]
        status = RequestStatus.with(id: row["status_id"])
        createdAt = ServerTimestamp(microseconds: row["created_at"])
    }
}

/// The sender as embedded in a message.
public struct SenderSummary: Sendable, Equatable {
    public var id: String
    public var username: String
    public var fullName: String?
    public var email: String
}

/// One stored message with its sender.
public struct MessageRecord: Sendable, Equatable {
    public var id: String
    public var requestID: String
    public var sender: SenderSummary?
    public var content: String
    public var sequenceNumber: Int64
    public var isScreenshot: Bool
    public var screenshotFileName: String?
    public var fileName: String?
    public var fileSize: Int64?
    public var fileMimeType: String?
    public var fileID: Int64?
    public var clientTempID: String?
    public var createdAt: ServerTimestamp
    public var updatedAt: ServerTimestamp

    public var senderID: String? { sender?.id }

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
public struct MessageAttachment: Sendable, Equatable {
    public var isScreenshot = false
    public var screenshotFileName: String?
    public var fileName: String?
    public var fileSize: Int64?
    public var fileMimeType: String?
    public var fileID: Int64?

    public init(
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
public struct ReadState: Sendable, Equatable {
    public var userID: String
    public var lastReadSequence: Int64
    public var lastReadAt: ServerTimestamp
}

public enum MediaKind: String, Sendable {
    case chatFile = "chat_files"
    case screenshot = "screenshots"
}

public enum UploadStatus: String, Sendable {
    case completed, pending, failed
}

/// Metadata of a chat file or a screenshot (the bytes are fetched separately).
public struct MediaRecord: Sendable, Equatable {
    public var kind: MediaKind
    public var id: Int64
    public var requestID: String
    /// Chat files: the uploader's name; screenshots: the stored name.
    public var originalFilename: String
    /// Chat files: the name on the server's disk; screenshots: `filename`.
    public var storedFilename: String
    public var fileSize: Int64
    public var mimeType: String
    public var uploadStatus: UploadStatus
    public var isCorrupted: Bool
    public var fileHash: String?
    public var createdAt: ServerTimestamp

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
