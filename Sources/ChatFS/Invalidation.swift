import ChatCache

/// One kernel cache invalidation a change calls for.
enum Invalidation: Equatable {
    /// A name in a directory: a new name may sit in the kernel as "absent" (a negative
    /// dentry), a removed one as present.
    case entry(parent: InodeNumber, name: String)
    /// A node's attributes and, for a directory, its cached listing.
    case inode(InodeNumber)

    /// What a batch of change events calls for: every named entry in event order, then each
    /// directory inode once (a backfill sends many events for the same chat).
    static func plan(for events: [ChangeEvent]) -> [Invalidation] {
        var entries: [Invalidation] = []
        var inodes: [InodeNumber] = []
        var seenInodes: Set<InodeNumber> = []
        func invalidateInode(_ inode: InodeNumber) {
            if seenInodes.insert(inode).inserted { inodes.append(inode) }
        }

        for event in events {
            switch event {
            case .chatsChanged(let added, let removed):
                for chat in removed + added {
                    entries.append(.entry(parent: .root, name: chat.dirName))
                }
                // Row ids can be reused: a new chat must not inherit a cached listing.
                for chat in added { invalidateInode(.chatDirectory(chatRowID: chat.rowID)) }
                invalidateInode(.root)
                invalidateInode(.unreadDirectory)
            case .chatChanged(let rowID):
                // Its unread count may have changed: `unread/`'s listing is kept by the kernel.
                invalidateInode(.chatDirectory(chatRowID: rowID))
                invalidateInode(.unreadDirectory)
            case .messagesAdded(let chatRowID, let names, _), .messagesRemoved(let chatRowID, let names):
                let directory = InodeNumber.chatDirectory(chatRowID: chatRowID)
                for name in names { entries.append(.entry(parent: directory, name: name)) }
                invalidateInode(directory)
                // The transcript grew (its new size at once for `tail -f`) or restarted.
                invalidateInode(.transcriptFile(chatRowID: chatRowID))
            case .outboxChanged(let chatRowID, let names):
                guard let chatRowID else { break }
                let directory = InodeNumber.outboxDirectory(chatRowID: chatRowID)
                for name in names { entries.append(.entry(parent: directory, name: name)) }
                invalidateInode(directory)
            case .mediaChanged(let chatRowID, let names):
                let directory = InodeNumber.mediaDirectory(chatRowID: chatRowID)
                for name in names { entries.append(.entry(parent: directory, name: name)) }
                invalidateInode(directory)
            case .statusChanged, .queuesStale, .outboxOutcome:
                // `.chatfs/status` is never cached (attribute timeout 0, direct_io); queue
                // entries live one second in the kernel and are listed from the cache.
                break
            }
        }
        return entries + inodes.map(Invalidation.inode)
    }
}
