import ChatCache
import Foundation

/// Why a file in an outbox cannot be queued. Each maps to the errno `close()` returns; the
/// file stays listed as `<name>.refused` with this reason.
public enum OutboxRefusal: Error, Equatable, Sendable, CustomStringConvertible {
    case empty
    case notUTF8
    case tooLong(characters: Int)
    /// `bytes` is what the writer tried to make the file (at least the limit + 1).
    case attachmentTooLarge(bytes: Int)
    case queueFull(limit: Int)
    /// The chat is solved or closed: the server takes no more messages in it.
    case chatClosed(status: String)

    public var errno: Int32 {
        switch self {
        case .empty: EINVAL
        case .notUTF8: EILSEQ
        case .tooLong, .attachmentTooLarge: EFBIG
        case .queueFull: EDQUOT
        case .chatClosed: EPERM
        }
    }

    public var description: String {
        switch self {
        case .empty: "the message is empty"
        case .notUTF8: "the message is not UTF-8 text"
        case .tooLong(let count): "the message has \(count) characters; the server takes at most \(OutboxPolicy.maxCharacters)"
        case .attachmentTooLarge(let bytes):
            "the attachment has \(bytes) bytes or more; the server takes at most \(OutboxPolicy.maxAttachmentBytes)"
        case .queueFull(let limit): "the outbox queue is full (\(limit) messages wait to be sent)"
        case .chatClosed(let status): "the chat is \(status.lowercased()): the server takes no more messages in it"
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
    public static let maxQueued = 100
    /// At this many queued messages the log warns.
    public static let warnQueued = 80

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

    /// The message text sent for an item: its content, or an attachment's announcement.
    static func messageText(name: String, kind: AttachmentKind?, content: [UInt8]) -> String {
        switch kind {
        case nil: String(decoding: content, as: UTF8.self)
        case .screenshot: "[Screenshot]"
        case .file: "[File: \(name)]"
        }
    }
}
