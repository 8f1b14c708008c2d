import ChatAPI

/// The part of the server sync needs. `ChatClient` is the real one; tests may stand in.
public protocol ChatService: Sendable {
    func chatList() throws -> [ChatSummary]
    func messages(chatID: String, _ query: MessageQuery) throws -> MessagePage
    func detectGeneration(probeChatID: String) throws -> ServerGeneration
    func send(_ message: OutgoingMessage) throws -> ChatMessage
    func markRead(chatID: String) throws -> MarkReadResponse
    func chatFiles(chatID: String) throws -> [ChatFile]
    func screenshots(chatID: String) throws -> [Screenshot]
    /// One attachment's details, with the sha256 the download must match.
    func mediaInfo(_ kind: MediaKind, id: Int) throws -> MediaInfo
    /// Streams an attachment to `destination` (0600); removes it on failure.
    func download(_ kind: MediaKind, id: Int, to destination: String, maxBytes: Int) throws -> Int
    /// Uploads a local file as an attachment of a chat (outbox attachments).
    func upload(_ kind: MediaKind, chatID: String, fileName: String, mimeType: String, contentsOf path: String) throws -> MediaInfo
}

extension ChatClient: ChatService {}
