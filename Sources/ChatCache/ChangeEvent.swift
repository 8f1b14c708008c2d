

/// What changed in the cache, announced by sync and the outbox so the filesystem can invalidate the
/// kernel's caches (that is how long kernel timeouts and freshness live together).
public enum ChangeEvent: Sendable, Equatable {
    /// Chats appeared or disappeared; a rename is the old name removed and the new added.
    case chatsChanged(added: [ChatName], removed: [ChatName])
    /// A chat's attributes changed (unread count, newest message time, status).
    case chatChanged(rowID: Int64)
    /// New message files in a chat (thousands at once while history backfills). `arrived`:
    /// new in the conversation (caught up after the chat's first sync, or sent from here),
    /// not history fetched for the first time; only those are `.chatfs/events` lines.
    case messagesAdded(chatRowID: Int64, names: [String], arrived: Bool)
    /// Message files gone from a chat (a full resync starts over).
    case messagesRemoved(chatRowID: Int64, names: [String])
    /// Files in a chat's `outbox/` appeared, disappeared or changed state (names as
    /// listed, old and new). `chatRowID` is nil when the chat is not in the cache.
    case outboxChanged(chatRowID: Int64?, names: [String])
    /// Attachments in a chat's `media/` appeared, disappeared, changed size, or were
    /// evicted (listed names; the chat row id of the chat that lists them).
    case mediaChanged(chatRowID: Int64, names: [String])
    /// How an outbox file's send ended (for `.chatfs/events`; the tree's invalidations come
    /// with `outboxChanged`).
    case outboxOutcome(OutboxOutcome)
    /// `.chatfs/status` would read differently.
    case statusChanged
    /// Something done here (a ticket taken) moved chats between a technician's queues:
    /// sync fetches them again.
    case queuesStale
}
