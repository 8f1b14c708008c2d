import ChatAPI
import ChatCache
import Foundation

/// Wire types (ChatAPI) to cache inputs (ChatCache): the one place the two meet.
extension ChatListEntry {
    init(_ summary: ChatSummary) {
        self.init(
            id: summary.id, title: summary.title, status: summary.status, countAsSolved: summary.countAsSolved ?? false,
            createdAt: summary.createdAt ?? summary.lastMessageAt ?? Date(timeIntervalSince1970: 0),
            lastMessageAt: summary.lastMessageAt, lastMessageSequence: summary.lastMessageSequence ?? 0,
            unreadCount: max(0, summary.unreadCount ?? 0))
    }
}

extension ChatListEntry {
    /// A chat as a technician queue view lists it: its newest message's sequence plays the
    /// part of the chat list's `lastMessageSequence`.
    init(_ item: QueueItem) {
        self.init(
            id: item.id, title: item.subject, status: item.status?.name, countAsSolved: item.status?.countAsSolved ?? false,
            createdAt: item.requested ?? item.lastMessage?.createdAt ?? Date(timeIntervalSince1970: 0),
            lastMessageAt: item.lastMessage?.createdAt, lastMessageSequence: item.lastMessage?.sequenceNumber ?? 0,
            unreadCount: item.technicianHasUnread == true ? 1 : 0,
            triage: ChatTriage(priority: item.priority?.name, dueDate: item.dueDate, requester: item.requester?.fullName,
                               businessUnit: item.businessUnit?.name, category: item.category?.name,
                               technicianUnread: item.technicianHasUnread))
    }
}

extension IncomingMessage {
    /// Public: the outbox stores the message it sent in the same form. The file fields are
    /// left out: a send's answer has them, the deployed backend's message list never does,
    /// and a message must read the same in every cache (docs/design.md, "The tree").
    public init(_ message: ChatMessage) {
        self.init(
            id: message.id, sequence: message.sequenceNumber,
            senderUsername: message.sender.map { $0.username ?? $0.id },
            senderFullName: message.sender?.fullName, createdAt: message.createdAt, text: message.text,
            clientTempID: message.clientTempId)
    }
}
