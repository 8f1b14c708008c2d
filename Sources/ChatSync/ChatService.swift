import ChatAPI

/// The part of the server sync needs. `ChatClient` is the real one; tests may stand in.
public protocol ChatService: Sendable {
    func chatList() throws -> [ChatSummary]
    func messages(chatID: String, _ query: MessageQuery) throws -> MessagePage
    func detectGeneration(probeChatID: String) throws -> ServerGeneration
    func send(_ message: OutgoingMessage) throws -> ChatMessage
    func markRead(chatID: String) throws -> MarkReadResponse
}

extension ChatClient: ChatService {}
