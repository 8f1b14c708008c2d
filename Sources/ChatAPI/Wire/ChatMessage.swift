import Foundation

/// One message of a chat (`ChatMessageRead`).
public struct ChatMessage: Sendable, Equatable, Decodable {
    public struct Sender: Sendable, Equatable, Decodable {
        public var id: String
        public var username: String?
        public var fullName: String?
        public var email: String?
    }

    public var id: String
    public var requestId: String
    /// Nil for system messages.
    public var senderId: String?
    public var sender: Sender?
    /// As stored: sanitized (`&lt;`, `&gt;`, `&amp;`) except for sequence 1. Show `text`.
    public var content: String
    public var sequenceNumber: Int
    public var isScreenshot: Bool?
    public var screenshotFileName: String?
    public var fileName: String?
    public var fileSize: Int?
    public var fileMimeType: String?
    public var fileId: Int?
    public var ipAddress: String?
    public var clientTempId: String?
    public var isRead: Bool?
    public var isReadByCurrentUser: Bool?
    public var createdAt: Date
    public var updatedAt: Date?
    public var readAt: Date?

    /// The text to show users: `content` unescaped, except sequence 1 (the request
    /// title), which the server stores raw.
    public var text: String {
        sequenceNumber == 1 ? content : HTMLEntities.decode(content)
    }
}
