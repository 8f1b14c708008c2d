import ChatCache

/// One kernel cache invalidation a change calls for.
enum Invalidation: Equatable {
    /// A name in a directory: a new name may sit in the kernel as "absent" (a negative
    /// dentry), a removed one as present.
    case entry(parent: InodeNumber, name: String)
    /// A directory's attributes (its new mtime among them, `ListingClock`); never its
    /// kept listing, which the kernel starts over when it sees the new mtime.
    case attributes(InodeNumber)
    /// A file's attributes and cached content.
    case content(InodeNumber)

    /// What a batch of change events calls for: every named entry in event order, then each
    /// inode once (a backfill sends many events for the same chat).
    static func plan(for events: [ChangeEvent]) -> [Invalidation] {
        var entries: [Invalidation] = []
        var inodes: [Invalidation] = []
        var seenInodes: Set<InodeNumber> = []
        func invalidateAttributes(_ inode: InodeNumber) {
            if seenInodes.insert(inode).inserted { inodes.append(.attributes(inode)) }
        }
        func invalidateContent(_ inode: InodeNumber) {
            if seenInodes.insert(inode).inserted { inodes.append(.content(inode)) }
        }

        for event in events {
            switch event {
            case .chatsChanged(let added, let removed):
                for chat in removed + added {
                    entries.append(.entry(parent: .root, name: chat.dirName))
                }
                // Row ids can be reused: a new chat must not inherit a kept listing (its mtime moved).
                for chat in added { invalidateAttributes(.chatDirectory(chatRowID: chat.rowID)) }
                invalidateAttributes(.root)
                invalidateAttributes(.unreadDirectory)
            case .chatChanged(let rowID):
                // Its attributes, not its listing; `unread/`'s listing may have changed.
                invalidateAttributes(.chatDirectory(chatRowID: rowID))
                invalidateAttributes(.unreadDirectory)
            case .messagesAdded(let chatRowID, let names, _), .messagesRemoved(let chatRowID, let names):
                let directory = InodeNumber.chatDirectory(chatRowID: chatRowID)
                for name in names { entries.append(.entry(parent: directory, name: name)) }
                invalidateAttributes(directory)
                // The transcript grew (its new size at once for `tail -f`) or restarted.
                invalidateContent(.transcriptFile(chatRowID: chatRowID))
            case .outboxChanged(let chatRowID, let names):
                guard let chatRowID else { break }
                let directory = InodeNumber.outboxDirectory(chatRowID: chatRowID)
                for name in names { entries.append(.entry(parent: directory, name: name)) }
                invalidateAttributes(directory)
            case .mediaChanged(let chatRowID, let names):
                let directory = InodeNumber.mediaDirectory(chatRowID: chatRowID)
                for name in names { entries.append(.entry(parent: directory, name: name)) }
                invalidateAttributes(directory)
            case .statusChanged, .queuesStale, .outboxOutcome:
                // `.chatfs/status` is never cached (attribute timeout 0, direct_io); queue
                // entries live one second in the kernel and are listed from the cache.
                break
            }
        }
        return entries + inodes
    }
}
