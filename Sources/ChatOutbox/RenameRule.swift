import ChatCache

/// What a rename inside the outboxes does, decided from the facts alone (the outbox reads
/// them and applies the action in one transaction).
///
/// The rules make editors' save patterns send exactly one message with the final text:
/// `mv draft x` sends x, vim's `x` → `x~` backup takes a waiting x out of the queue, a tool's
/// temporary file renamed over a waiting message replaces it (one message), a failed
/// `x.failed` or refused `x.refused` renamed to `x` is tried again, and a file still open for
/// writing is only renamed (it is committed when its last writer closes it).
enum RenameRule {
    enum Action: Equatable {
        case refuse(OutboxError)
        /// Renamed (or moved to another chat's outbox) and given this state.
        case move(OutboxState)
        /// Renamed, then queued with its stored content (it may still be refused).
        case moveAndEnqueue
    }

    /// What holds the new name in the target outbox now (never the source itself).
    enum Target: Equatable {
        /// Nothing, or a refused notice (which the new file dismisses).
        case free
        /// A file listed under the new name: the rename replaces it.
        case listed
        /// Listed under the new name but being sent, or in doubt: it cannot be replaced.
        case busy
        /// A failed file whose own name is the new name (listed as `<name>.failed`): the
        /// name is taken, and replacing a file the user cannot see under it would surprise.
        case failedTwin
    }

    /// `renameat2` flags (linux/fs.h; not exported to Swift).
    static let noReplace: UInt32 = 1 << 0

    static func action(source: OutboxRecord, isOpenForWriting: Bool, newName: String, target: Target, flags: UInt32) -> Action {
        // RENAME_EXCHANGE would swap two items' names and states at once; RENAME_WHITEOUT is
        // for overlay filesystems. Only RENAME_NOREPLACE is meaningful here.
        guard flags & ~noReplace == 0 else { return .refuse(.invalidName) }
        if source.state == .sending || source.isInDoubt { return .refuse(.busy) }
        guard OutboxNames.isValid(newName) else { return .refuse(.invalidName) }
        switch target {
        case .listed where flags & noReplace != 0, .failedTwin:
            return .refuse(.exists)
        case .busy:
            return .refuse(.busy)
        case .listed, .free:
            break
        }
        if isOpenForWriting { return .move(.writing) }
        if OutboxNames.isDraft(newName) { return .move(.draft) }
        if source.state == .waiting { return .move(.waiting) }
        // A draft, a failed or refused file, or one left `writing` by a crash that nobody has
        // open: renaming it to a plain name is the user saying "send this".
        return .moveAndEnqueue
    }
}
