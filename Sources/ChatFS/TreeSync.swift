import ChatSync

/// What the filesystem needs from sync: to be told of visits and reads (freshness, the LRU
/// order) and to get an attachment's bytes on open. `SyncEngine` is the real one; handler
/// tests stand in with a fake. Change events arrive through the mount's `ChangeFeed`.
public protocol TreeSync: Sendable {
    /// A lookup or listing inside a chat; the first visit of a chat never synced waits (at
    /// most `firstPageTimeout`) for its newest page.
    func visit(chatRowID: Int64, firstPageTimeout: Duration)
    /// A read in a chat: keeps it in use and in the LRU order (memory only).
    func noteAccess(chatRowID: Int64)
    /// A reader of `.chatfs/events` opened / closed: while one is open the mount is in use.
    func followingStarted()
    func followingEnded()
    /// The path of the attachment's verified blob, downloading it first when needed.
    func openMedia(rowID: Int64, timeout: Duration) throws -> String
    /// The last handle on an attachment is closed: it may be evicted again.
    func mediaClosed(rowID: Int64)
    /// The mount is a technician's: the tree shows `queues/`.
    var isTechnician: Bool { get }
    /// A listing of a queue view (the API's name): it is kept fresh from now on; its first
    /// listing waits (at most `timeout`) for its members.
    func visitQueue(_ view: String, timeout: Duration)
}

extension SyncEngine: TreeSync {}
