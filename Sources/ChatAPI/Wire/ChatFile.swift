import Foundation

/// An attachment of a chat (`GET /chat-files/request/{id}`, or `/chat-files/{id}`,
/// which adds `fileHash`).
public struct ChatFile: Sendable, Equatable, Decodable {
    public var id: Int
    public var originalFilename: String?
    public var storedFilename: String?
    public var fileSize: Int?
    public var mimeType: String?
    public var uploadStatus: String?
    public var isCorrupted: Bool?
    public var createdAt: Date?
    /// sha256 hex; nil in lists and while the upload is pending.
    public var fileHash: String?
}
