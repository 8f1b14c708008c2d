import Foundation

/// A screenshot of a chat (`GET /screenshots/request/{id}`, or `/screenshots/{id}`,
/// which adds `fileHash`). Served as `image/jpeg`.
public struct Screenshot: Sendable, Equatable, Decodable {
    public var id: Int
    public var filename: String?
    public var fileSize: Int?
    public var mimeType: String?
    public var uploadStatus: String?
    public var isCorrupted: Bool?
    public var createdAt: Date?
    /// sha256 hex; nil in lists and while the upload is pending.
    public var fileHash: String?
}
