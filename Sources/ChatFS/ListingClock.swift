import ChatCache
import Foundation
import Locking

/// When this mount last changed each directory listing the kernel keeps, given to the
/// kernel as the directory's mtime.
///
/// The kernel keeps a chat's listing (`cache_readdir`) and starts it over at an opendir
/// whose fresh attributes show another mtime (fs/fuse/readdir.c, `fuse_readdir_cached`).
/// That is the only safe way to retire it: dropping its pages instead
/// (`notify_inval_inode` with offset 0) while a listing is half cached leaves the kernel's
/// cache at a position no listing from offset 0 ever reaches again, so every later
/// listing of that directory goes to the daemon (READDIRPLUS by the dozen for a 10,000-
/// message chat) until the inode is evicted. So a listing change moves the mtime here and
/// the notifier invalidates the directory's attributes only (`Invalidation`). The times
/// only grow, each change by at least a microsecond: two changes never share an mtime.
final class ListingClock: Sendable {
    private let times = Locked<[InodeNumber: Date]>([:])

    /// The directory's last listing change in this mount; nil when it has had none (its
    /// mtime is then its own: the chat's newest message, the mount's start...).
    func modified(_ directory: InodeNumber) -> Date? {
        times.withLock { $0[directory] }
    }

    /// Notes the listings `event` changes. Called before the event's invalidations are queued.
    func note(_ event: ChangeEvent, now: Date = Date()) {
        let directories = Self.listings(changedBy: event)
        guard !directories.isEmpty else { return }
        times.withLock { times in
            for directory in directories {
                let previous = times[directory] ?? .distantPast
                times[directory] = max(now, previous.addingTimeInterval(0.000_001))
            }
        }
    }

    /// The kept listings an event adds names to or removes names from. A chat's
    /// attributes changing (`chatChanged`: unread count, status, newest message time)
    /// changes `unread/`'s listing, never the chat's own.
    static func listings(changedBy event: ChangeEvent) -> [InodeNumber] {
        switch event {
        case .chatsChanged(let added, _):
            // Row ids can be reused: a new chat must not inherit a kept listing.
            [.root, .unreadDirectory] + added.map { .chatDirectory(chatRowID: $0.rowID) }
        case .chatChanged:
            [.unreadDirectory]
        case .messagesAdded(let chatRowID, _, _), .messagesRemoved(let chatRowID, _):
            [.chatDirectory(chatRowID: chatRowID)]
        case .outboxChanged(let chatRowID, _):
            chatRowID.map { [.outboxDirectory(chatRowID: $0)] } ?? []
        case .mediaChanged(let chatRowID, _):
            [.mediaDirectory(chatRowID: chatRowID)]
        case .statusChanged, .queuesStale, .outboxOutcome:
            []
        }
    }
}
