/// What a conditional chat-list call returns (docs/api.md, "The chat list"): the list, or
/// the server's word that it is the same as the one whose tag was sent.
public enum ChatListAnswer: Sendable, Equatable {
    /// 304 Not Modified: the list the caller holds (the one tagged `ifNoneMatch`) is current.
    case unchanged
    /// The list, and the tag to send next time (nil: the server offers none, as the
    /// deployed backend, so the next call is unconditional).
    case list([ChatSummary], etag: String?)
}
