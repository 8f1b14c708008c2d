import ChatAPI
import Foundation

/// The part of the server the outbox needs. `ChatClient` is the real one; tests stand in.
public protocol OutboxService: Sendable {
    func send(_ message: OutgoingMessage) throws -> ChatMessage
    func messages(chatID: String, _ query: MessageQuery) throws -> MessagePage
    func chatFiles(chatID: String) throws -> [ChatFile]
    func screenshots(chatID: String) throws -> [Screenshot]
    /// Uploads bytes as an attachment of a chat (outbox attachments).
    func upload(_ kind: MediaKind, chatID: String, fileName: String, mimeType: String, contents: Data) throws -> MediaInfo
    func markRead(chatID: String) throws -> MarkReadResponse
    /// A technician takes an unassigned request (400 when it has an assignee).
    func take(requestID: String) throws -> HelpDeskRequest
    /// One page of a technician queue view (to see whether an earlier take went through).
    func technicianView(_ view: TechnicianView, page: Int, perPage: Int) throws -> TechnicianViewPage
}

extension ChatClient: OutboxService {}
