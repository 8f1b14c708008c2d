/// How the send of an outbox file ended, as `.chatfs/events` reports it.
public struct OutboxOutcome: Sendable, Equatable {
    public enum Result: Sendable, Equatable {
        /// On the server; `sequence` is the message's, nil for an action (a take).
        case sent(sequence: Int?)
        /// Given up: the file stays as `<name>.failed`.
        case failed(reason: String)
        /// Not sendable as written: the file stays as `<name>.refused`.
        case refused(reason: String)
    }

    /// The server's chat id, and its row id when the chat is cached.
    public var chatID: String
    public var chatRowID: Int64?
    /// The file's name as the user wrote it (without a `.failed` or `.refused` suffix).
    public var name: String
    public var result: Result

    public init(chatID: String, chatRowID: Int64?, name: String, result: Result) {
        self.chatID = chatID
        self.chatRowID = chatRowID
        self.name = name
        self.result = result
    }
}
