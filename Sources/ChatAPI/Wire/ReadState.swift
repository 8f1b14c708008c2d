import Foundation

/// The answer to `POST /chat/{id}/mark-read`.
public struct MarkReadResponse: Sendable, Equatable, Decodable {
    public var requestId: String?
    public var userId: String?
    /// The time of the newest message in the chat, not the current time.
    public var markedAt: Date?
    public var previousUnread: Int?
}

/// The answer to `GET /chat/{id}/unread`.
public struct UnreadResponse: Sendable, Equatable, Decodable {
    public var requestId: String?
    public var unreadCount: Int
    public var lastReadAt: Date?
}
