/// How long the kernel may trust what we tell it, in seconds. Long timeouts are safe
/// because every change is invalidated explicitly (`ChangeNotifier`); the nodes whose
/// attributes change without an event are `.chatfs/status`, whose size is recomputed on
/// every `stat`, and outbox files (times at each commit, 0444 → 0644 when a failed file is
/// renamed back: the kernel checks permissions against cached attributes).
enum CacheTimeouts {
    /// Names and attributes of everything but the status file; also how long an unknown
    /// name stays known to be absent (new names are invalidated when they appear).
    static let stable: Double = 3600
    static let statusFileAttributes: Double = 0
    /// Not 0: with the kernel's auto_inval_data every read of a file whose attributes are
    /// stale asks for them again, and an outbox file's are read with its content (up to an
    /// attachment's 50 MB). A second is what a failed file renamed back may stay 0444.
    static let outboxFileAttributes: Double = 1

    /// Search results and `unread/` entries come and go without a name to invalidate (an
    /// event names a chat's row, a search matches whatever was stored): never cached.
    static let views: Double = 0
    /// A transcript's growth is invalidated when its messages are stored; this bounds how
    /// long a restart the notifier does not hear of (a rewritten message) can stay unseen.
    /// `tail -f` stats once a second anyway.
    static let transcriptAttributes: Double = 1

    static func attributes(of node: Node) -> Double {
        switch node {
        case .statusFile: statusFileAttributes
        case .transcriptFile: transcriptAttributes
        case .outboxFile, .queueEntry: outboxFileAttributes
        case .searchQueryDirectory, .searchResult, .unreadEntry: views
        default: stable
        }
    }

    static func entry(of node: Node) -> Double {
        switch node {
        case .searchQueryDirectory, .searchResult, .unreadEntry: views
        default: stable
        }
    }

    /// How long a name looked up in `parent` stays known to be absent.
    static func absentName(in parent: InodeNumber?) -> Double {
        switch parent {
        case .searchQueryDirectory, .unreadDirectory: views
        default: stable
        }
    }
}
