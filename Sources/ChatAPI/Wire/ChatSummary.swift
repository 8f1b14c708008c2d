import Foundation

/// One chat (a help-desk request) in `GET /chat/page-data` (`ChatListItem`).
public struct ChatSummary: Sendable, Equatable, Decodable {
    public var id: String
    /// Raw text, not escaped.
    public var title: String
    public var statusId: Int?
    public var status: String?
    public var statusColor: String?
    public var countAsSolved: Bool?
    public var createdAt: Date?
    /// A preview (`"You: "` or `"<sender>: "` then up to 100 characters), not the message.
    public var lastMessage: String?
    public var lastMessageAt: Date?
    /// Compare with what the cache holds to see which chats changed.
    public var lastMessageSequence: Int?
    /// Unreliable on the deployed backend: read it as "something is unread" only.
    public var unreadCount: Int?
}

/// The parts of `GET /chat/page-data` a client uses.
struct ChatPageData: Decodable {
    var chatMessages: [ChatSummary]
}
