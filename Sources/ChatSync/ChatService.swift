import ChatAPI

/// The part of the server sync needs (sending is the outbox's: `OutboxService`). `ChatClient` is the real one; tests may stand in.
public protocol ChatService: Sendable {
    /// The chat list, or `.unchanged` when it is still the one tagged `ifNoneMatch`.
    func chatList(ifNoneMatch: String?) throws -> ChatListAnswer
    /// One page of a technician queue view, with every view's count (403 for requesters).
    func technicianView(_ view: TechnicianView, page: Int, perPage: Int) throws -> TechnicianViewPage
    func messages(chatID: String, _ query: MessageQuery) throws -> MessagePage
    func detectGeneration(probeChatID: String) throws -> ServerGeneration
    func chatFiles(chatID: String) throws -> [ChatFile]
    func screenshots(chatID: String) throws -> [Screenshot]
    /// One attachment's details, with the sha256 the download must match.
    func mediaInfo(_ kind: MediaKind, id: Int) throws -> MediaInfo
    /// Streams an attachment to `destination` (0600); removes it on failure.
    func download(_ kind: MediaKind, id: Int, to destination: String, maxBytes: Int) throws -> Int
}

extension ChatClient: ChatService {}
