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
    case queueFull(limit: Int)

    public var errno: Int32 {
        switch self {
        case .empty: EINVAL
        case .notUTF8: EILSEQ
        case .tooLong: EFBIG
        case .queueFull: EDQUOT
        }
    }

    public var description: String {
        switch self {
        case .empty: "the message is empty"
        case .notUTF8: "the message is not UTF-8 text"
        case .tooLong(let count): "the message has \(count) characters; the server takes at most \(OutboxPolicy.maxCharacters)"
        case .queueFull(let limit): "the outbox queue is full (\(limit) messages wait to be sent)"
        }
    }
}

/// What may be queued.
public enum OutboxPolicy {
    public static let maxCharacters = 10_000
    public static let maxPending = 100
    /// At this many pending messages the log and status warn.
    public static let warnPending = 80

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
