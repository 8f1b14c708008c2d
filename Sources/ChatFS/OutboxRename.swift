import ChatCache
import Foundation

/// What a rename inside the outboxes does, decided from the item's state and the names
/// alone (the handler gathers the facts, performs the action and replies after it).
///
/// The rules make editors' save patterns send exactly one message with the final text:
/// `mv draft x` sends x, vim's `x` → `x~` backup takes a pending x out of the queue, a
/// failed `x.failed` renamed to `x` is retried from scratch, and a file still open for
/// writing is only renamed (its commit comes when the last writer closes it).
enum OutboxRename {
    enum Action: Equatable {
        /// Refused with this errno; nothing changes.
        case refuse(Int32)
        /// Renamed (or moved to another chat's outbox) and given this state.
        case move(OutboxState)
        /// Renamed, then queued with its stored content (it may still be refused).
        case moveAndEnqueue
    }

    /// An item that already holds the new name in the target outbox (never the source).
    enum Target: Equatable {
        /// Listed under the new name: a rename replaces it, unless it is being sent.
        case listed(isSending: Bool)
        /// A failed item whose own name is the new name (listed as `<name>.failed`): the
        /// name is taken, and replacing a file the user cannot see under it would be a surprise.
        case failedTwin
    }

    /// `renameat2` flags (linux/fs.h; not exported to Swift).
    static let noReplace: UInt32 = 1 << 0
    static let exchange: UInt32 = 1 << 1

    static func action(state: OutboxState, isSending: Bool, isOpenForWriting: Bool, newName: String,
                       target: Target?, flags: UInt32) -> Action {
        // RENAME_EXCHANGE would swap two items' names and states at once; RENAME_WHITEOUT is
        // for overlay filesystems. Only RENAME_NOREPLACE is meaningful here.
        guard flags & ~noReplace == 0 else { return .refuse(EINVAL) }
        if isSending { return .refuse(EBUSY) }
        guard OutboxNames.isValid(newName) else { return .refuse(EINVAL) }
        switch target {
        case .listed where flags & noReplace != 0, .failedTwin:
            return .refuse(EEXIST)
        case .listed(isSending: true):
            return .refuse(EBUSY)
        case .listed(isSending: false), nil:
            break
        }
        if isOpenForWriting { return .move(.writing) }
        if OutboxNames.isDraft(newName) { return .move(.draft) }
        if state == .pending { return .move(.pending) }
        // A draft, a failed item, or one left `writing` by a crash that nobody has open:
        // renaming it to a plain name is the user saying "send this".
        return .moveAndEnqueue
    }
}
