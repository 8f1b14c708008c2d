import Foundation

/// The state of a file in a chat's `outbox/`.
public enum OutboxState: String, Sendable, Codable {
    /// Open for writing: never sent while any writer has it open.
    case writing
    /// An editor's temporary or a hidden file: kept, readable, never sent.
    case draft
    /// Queued: the sender takes it in order.
    case pending
    /// Given up after the last retry or a permanent refusal; listed as `<name>.failed`.
    case failed
}

/// One file in an outbox.
public struct OutboxItem: Sendable, Equatable {
    public var rowID: Int64
    /// The server's id of the chat it is for.
    public var chatID: String
    public var name: String
    public var content: [UInt8]
    public var state: OutboxState
    /// Identifies the message to the server (and to us, after an ambiguous failure). Set
    /// when queued, before the first attempt, and kept across retries.
    public var clientTempID: String?
    public var queueOrder: Int64?
    public var enqueuedAt: Date?
    public var attempts: Int
    public var nextAttemptAt: Date?
    public var lastError: String?
    /// An attempt may have reached the server: look for the message before sending again.
    public var needsCheck: Bool
    public var modifiedAt: Date
    /// Set for a file that is not text: it is uploaded, then announced with a message.
    public var attachmentKind: AttachmentKind?
    public var mimeType: String?
    /// The server's name for the uploaded attachment, once the upload succeeded.
    public var uploadedName: String?

    /// The name `ls outbox/` shows.
    public var listedName: String { state == .failed ? name + OutboxNames.failedSuffix : name }

    /// The message text as sent: the content, which `OutboxPolicy` checked is UTF-8.
    public var text: String { String(decoding: content, as: UTF8.self) }
}

/// Which names in an outbox are drafts.
public enum OutboxNames {
    public static let failedSuffix = ".failed"
    static let draftSuffixes = ["~", ".swp", ".swx", ".tmp", ".part"]

    /// Editors write temporaries and rename them over the real name: names starting with
    /// `.` or ending in `~`, `.swp`, `.swx`, `.tmp`, `.part` are never sent.
    public static func isDraft(_ name: String) -> Bool {
        name.hasPrefix(".") || draftSuffixes.contains { name.hasSuffix($0) }
    }

    /// A valid file name for an outbox entry.
    public static func isValid(_ name: String) -> Bool {
        !name.isEmpty && name != "." && name != ".." && !name.contains("/") && !name.contains("\0")
            && name.utf8.count <= 255 && !name.hasSuffix(failedSuffix)
    }
}

/// Why a file in an outbox cannot be queued. Each maps to the errno `close()` returns.
public enum OutboxRefusal: Error, Equatable, Sendable, CustomStringConvertible {
    case empty
    case notUTF8
    case tooLong(characters: Int)
    case attachmentTooLarge(bytes: Int)
    case queueFull(limit: Int)

    public var errno: Int32 {
        switch self {
        case .empty: EINVAL
        case .notUTF8: EILSEQ
        case .tooLong, .attachmentTooLarge: EFBIG
        case .queueFull: EDQUOT
        }
    }

    public var description: String {
        switch self {
        case .empty: "the message is empty"
        case .notUTF8: "the message is not UTF-8 text"
        case .tooLong(let count): "the message has \(count) characters; the server takes at most \(OutboxPolicy.maxCharacters)"
        case .attachmentTooLarge(let bytes): "the attachment has \(bytes) bytes; the server takes at most \(OutboxPolicy.maxAttachmentBytes)"
        case .queueFull(let limit): "the outbox queue is full (\(limit) messages wait to be sent)"
        }
    }
}

/// What a queued file is sent as.
public enum OutboxContent: Equatable, Sendable {
    case text(String)
    /// Uploaded, then announced with a message, as the product's own apps do: a JPEG as a
    /// screenshot (the server keeps screenshots as JPEG), anything else as a chat file.
    case attachment(AttachmentKind, mimeType: String)
}

/// What may be queued.
public enum OutboxPolicy {
    public static let maxCharacters = 10_000
    public static let maxAttachmentBytes = 50 * 1024 * 1024
    public static let maxPending = 100
    /// At this many pending messages the log and status warn.
    public static let warnPending = 80

    /// Text, or an attachment when the content is not text: it carries a NUL byte or starts
    /// with the signature of a binary format. Bytes that are neither (say, Latin-1 text) are
    /// refused as not UTF-8 rather than uploaded: that is almost always a wrong encoding.
    public static func classify(_ content: [UInt8]) throws(OutboxRefusal) -> OutboxContent {
        if let mimeType = binaryMimeType(content) {
            guard content.count <= maxAttachmentBytes else { throw .attachmentTooLarge(bytes: content.count) }
            return .attachment(mimeType == "image/jpeg" ? .screenshot : .file, mimeType: mimeType)
        }
        return .text(try validate(content))
    }

    static let signatures: [(bytes: [UInt8], mimeType: String)] = [
        ([0xFF, 0xD8, 0xFF], "image/jpeg"),
        ([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], "image/png"),
        (Array("GIF8".utf8), "image/gif"),
        (Array("%PDF-".utf8), "application/pdf"),
        ([0x50, 0x4B, 0x03, 0x04], "application/zip"),
        ([0x1F, 0x8B], "application/gzip"),
    ]

    /// The MIME type of binary content, nil for what may be text.
    static func binaryMimeType(_ content: [UInt8]) -> String? {
        if let known = signatures.first(where: { content.starts(with: $0.bytes) }) { return known.mimeType }
        return content.prefix(8192).contains(0) ? "application/octet-stream" : nil
    }

    /// The text to queue, as the server will count it (it strips surrounding white space).
    public static func validate(_ content: [UInt8]) throws(OutboxRefusal) -> String {
        guard let text = String(validating: content, as: UTF8.self) else { throw .notUTF8 }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw .empty }
        // The server (Python) counts code points, not grapheme clusters.
        let length = trimmed.unicodeScalars.count
        guard length <= maxCharacters else { throw .tooLong(characters: length) }
        return trimmed
    }
}
