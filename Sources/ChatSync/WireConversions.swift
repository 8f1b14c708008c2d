import ChatAPI
import ChatCache
import Foundation

/// Wire types (ChatAPI) to cache inputs (ChatCache): the one place the two meet.
extension ChatListEntry {
    init(_ summary: ChatSummary) {
        self.init(
            id: summary.id, title: summary.title, status: summary.status, createdAt: summary.createdAt ?? summary.lastMessageAt ?? Date(timeIntervalSince1970: 0),
            lastMessageAt: summary.lastMessageAt, lastMessageSequence: summary.lastMessageSequence ?? 0,
            unreadCount: max(0, summary.unreadCount ?? 0))
    }
}

extension IncomingMessage {
    /// Public: the outbox stores the message it sent in the same form.
    public init(_ message: ChatMessage) {
        self.init(
            id: message.id, sequence: message.sequenceNumber,
            senderUsername: message.sender.map { $0.username ?? $0.id },
            senderFullName: message.sender?.fullName, createdAt: message.createdAt, text: message.text,
            attachment: message.fileName ?? message.screenshotFileName, clientTempID: message.clientTempId)
    }
}
