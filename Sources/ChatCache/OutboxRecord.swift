import Foundation
import GRDB

/// The stored state of a file in a chat's `outbox/`. What moves a file from one state to
/// another (and when) is the ChatOutbox module's business; see docs/outbox.md.
public enum OutboxState: String, Sendable, Codable, CaseIterable {
    /// Open for writing: never sent while any writer has it open.
    case writing
    /// An editor's temporary or a hidden file: kept, readable, never sent.
    case draft
    /// Queued: sent once `nextAttemptAt` has passed (the send window, or a retry's wait).
    case waiting
    /// Claimed by the sender: an attempt is in flight. Nothing else changes such a row.
    case sending
    /// Given up after the last retry or a permanent refusal; listed as `<name>.failed`.
    case failed
    /// Could never be sent as written (empty, not UTF-8, too large, the queue full);
    /// listed as `<name>.refused`.
    case refused
}

/// One row of the `outbox` table without its content: metadata reads (stat, readdir, the
/// sender's scan) never load the bytes; `size` is their length.
public struct OutboxRecord: Codable, Sendable, Equatable, FetchableRecord, TableRecord {
    public static let databaseTableName = "outbox"
    public static let databaseDateDecodingStrategy = DatabaseDateDecodingStrategy.timeIntervalSince1970
    /// Every column but `content`.
    public static var databaseSelection: [any SQLSelectable] { CodingKeys.allCases.map { Column($0.rawValue) } }

    public var rowID: Int64
    /// The server's id of the chat it is for.
    public var chatID: String
    public var name: String
    public var size: Int
    public var state: OutboxState
    /// Identifies the message to the server (and to us, after an attempt in doubt). Set
    /// when first queued, before any attempt, and kept across retries.
    public var clientTempID: String?
    public var queueOrder: Int64?
    public var enqueuedAt: Date?
    public var attempts: Int
    public var nextAttemptAt: Date?
    public var lastError: String?
    /// An attempt may have reached the server: look for the message before sending again.
    public var needsCheck: Bool
    /// When the last attempt that may have reached the server ended unanswered.
    public var inDoubtSince: Date?
    /// Set for a file that is not text: it is uploaded, then announced with a message.
    public var attachmentKind: AttachmentKind?
    public var mimeType: String?
    /// The server's name for the uploaded attachment, once the upload succeeded.
    public var uploadedName: String?
    /// Nil for a message; `take` for a technician's queued take of the chat's ticket.
    public var action: String?
    /// Permission bits (`chmod`); a failed or refused file shows 0444 whatever they are.
    public var mode: Int
    public var modifiedAt: Date

    public init(rowID: Int64, chatID: String, name: String, size: Int = 0, state: OutboxState, clientTempID: String? = nil,
                queueOrder: Int64? = nil, enqueuedAt: Date? = nil, attempts: Int = 0, nextAttemptAt: Date? = nil,
                lastError: String? = nil, needsCheck: Bool = false, inDoubtSince: Date? = nil,
                attachmentKind: AttachmentKind? = nil, mimeType: String? = nil, uploadedName: String? = nil,
                action: String? = nil, mode: Int = 0o644, modifiedAt: Date = Date()) {
        self.rowID = rowID
        self.chatID = chatID
        self.name = name
        self.size = size
        self.state = state
        self.clientTempID = clientTempID
        self.queueOrder = queueOrder
        self.enqueuedAt = enqueuedAt
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.lastError = lastError
        self.needsCheck = needsCheck
        self.inDoubtSince = inDoubtSince
        self.attachmentKind = attachmentKind
        self.mimeType = mimeType
        self.uploadedName = uploadedName
        self.action = action
        self.mode = mode
        self.modifiedAt = modifiedAt
    }

    public enum CodingKeys: String, CodingKey, CaseIterable, ColumnExpression {
        case rowID, chatID, name, size, state, clientTempID, queueOrder, enqueuedAt, attempts, nextAttemptAt, lastError,
             needsCheck, inDoubtSince, attachmentKind, mimeType, uploadedName, action, mode, modifiedAt
    }
}

extension AttachmentKind: Codable {}

extension ChatCache {
    /// A read on one of the pool's reader connections (never waits for the writer).
    public func read<T>(_ body: (Database) throws -> T) throws -> T {
        try pool.read(body)
    }

    /// A message the outbox sent, stored in the transaction that removes it from the
    /// outbox (never both listed, never neither). It does not move the sync checkpoint:
    /// messages before it may not be held yet. Returns the new file's name, if it is new.
    public static func storeSentMessage(_ message: IncomingMessage, chatRowID: Int64, _ db: Database) throws -> String? {
        try insertMessages([message], chatRowID: chatRowID, widenHeldRange: false, db).first
    }
}
