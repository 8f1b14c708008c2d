import ChatCache
import CFuse
import Foundation

/// opendir, readdir(plus), releasedir. Listings page through the cache: a chat directory
/// resumes from the offset cookie alone (offset = sequence + fixed entries), so a
/// 10,000-message `ls -l` holds one page of rows at a time and nothing per message is kept.
extension ChatFilesystem {
    func opendir(_ inode: fuse_ino_t, _ info: fuse_file_info) throws -> FuseReply {
        let directory = try node(inode)
        guard directory.isDirectory else { throw FuseError(ENOTDIR) }
        var info = info
        switch directory {
        case .root, .unreadDirectory:
            // Filled by the readdir from offset 0 (`retakeListing`); none at all when the
            // kernel lists from its cache.
            info.fh = handles.open(.rootListing([]))
        case .chatDirectory(let chat), .mediaDirectory(let chat):
            visit(chatRowID: chat.rowID)
        case .queueDirectory(let queue):
            sync.visitQueue(queue.view.rawValue, timeout: Self.firstPageTimeout)
            // A snapshot of the members, listed by position like the root's chats.
            info.fh = handles.open(.rootListing(try currentChats(of: directory)))
            info.keep_cache = 0
            info.cache_readdir = 0
            return .open(info)
        case .searchQueryDirectory(let query):
            // Computed now, from the cache alone; the kernel keeps none of it.
            info.fh = handles.open(.searchListing(try searchListing(query)))
            info.keep_cache = 0
            info.cache_readdir = 0
            return .open(info)
        case .controlDirectory, .outboxDirectory, .statusFile, .messageFile, .outboxFile, .mediaFile, .queuesDirectory,
             .queueEntry, .searchDirectory, .mediaRoot, .searchResult, .unreadEntry, .mediaLink,
             .eventsFile, .transcriptsDirectory, .transcriptFile, .transcriptLink:
            break
        }
        // Let the kernel keep listings across opens; every change to one is invalidated
        // (ChangeNotifier), which drops the cached listing.
        info.cache_readdir = 1
        info.keep_cache = 1
        return .open(info)
    }

    func releasedir(_ info: fuse_file_info) -> FuseReply {
        if info.fh != 0 { handles.close(info.fh) }
        return .error(0)
    }

    func readdir(_ request: fuse_req_t, _ inode: fuse_ino_t, size: Int, offset: Int64,
                 _ info: fuse_file_info, withAttributes: Bool) throws -> FuseReply {
        let directory = try node(inode)
        guard directory.isDirectory else { throw FuseError(ENOTDIR) }
        var buffer = DirectoryBuffer(request: request, size: size, withAttributes: withAttributes)
        let fixedEntries = directory.fixedEntries(showsQueues: sync.isTechnician)
        let cookie = DirectoryCookie(fixedEntryCount: fixedEntries.count)

        if offset == 0 { try retakeListing(of: directory, handle: info.fh) }
        var afterKey = 0
        switch cookie.position(resumingAt: offset) {
        case .fixedEntry(let first):
            for index in first..<fixedEntries.count {
                let (name, target) = fixedEntries[index]
                let entry = try directoryEntry(for: target, withAttributes: withAttributes)
                guard buffer.add(name: name, entry: entry, nextOffset: cookie.offset(afterFixedEntry: index)) else {
                    return buffer.reply
                }
            }
        case .keyedEntries(let key):
            afterKey = key
        }

        switch directory {
        case .root:
            let chats = try chatListing(of: directory, handle: info.fh)
            try addSnapshot(chats, to: &buffer, afterKey: afterKey, cookie: cookie, name: \.dirName, node: Node.chatDirectory)
        case .chatDirectory(let chat):
            try addMessages(of: chat, to: &buffer, afterSequence: afterKey, cookie: cookie)
        case .outboxDirectory(let chat):
            try addOutboxFiles(of: chat, to: &buffer, afterRowID: afterKey, cookie: cookie)
        case .mediaDirectory(let chat):
            try addMediaFiles(of: chat, to: &buffer, afterRowID: afterKey, cookie: cookie)
        case .queueDirectory(let queue):
            let chats = try chatListing(of: directory, handle: info.fh)
            try addSnapshot(chats, to: &buffer, afterKey: afterKey, cookie: cookie, name: \.dirName) { .queueEntry(queue, chat: $0) }
        case .unreadDirectory:
            let chats = try chatListing(of: directory, handle: info.fh)
            try addSnapshot(chats, to: &buffer, afterKey: afterKey, cookie: cookie, name: \.dirName, node: Node.unreadEntry)
        case .searchQueryDirectory(let query):
            let listing = if case .searchListing(let links) = handles.contents(of: info.fh) { links } else { try searchListing(query) }
            try addSnapshot(listing, to: &buffer, afterKey: afterKey, cookie: cookie, name: \.name, node: Node.searchResult)
        case .controlDirectory, .statusFile, .messageFile, .outboxFile, .mediaFile, .queuesDirectory, .queueEntry,
             .searchDirectory, .mediaRoot, .searchResult, .unreadEntry, .mediaLink,
             .eventsFile, .transcriptsDirectory, .transcriptFile, .transcriptLink:
            break
        }
        return buffer.reply
    }

    /// Outbox files keyed by row id: an outbox holds at most a few hundred files, read at
    /// once; new files get higher row ids, so a listing resumed after one lists them too.
    private func addOutboxFiles(of chat: ChatRecord, to buffer: inout DirectoryBuffer, afterRowID: Int,
                                cookie: DirectoryCookie) throws {
        let items = try outbox.items(chatID: chat.id).filter { $0.rowID > afterRowID }.sorted { $0.rowID < $1.rowID }
        for item in items {
            guard let offset = cookie.offset(afterKey: Int(item.rowID)),
                  let entry = try listedEntry(for: .outboxFile(item, chat: chat), withAttributes: buffer.withAttributes)
            else { continue }
            guard buffer.add(name: item.listedName, entry: entry, nextOffset: offset) else { return }
        }
    }

    /// The entries of a snapshot (the root's chats, a queue's or `unread/`'s links, a
    /// query's matches), keyed by position (1-based): a listing resumed at an offset neither
    /// skips nor repeats an entry when the cache changes meanwhile.
    private func addSnapshot<Element>(_ listing: [Element], to buffer: inout DirectoryBuffer, afterKey: Int,
                                      cookie: DirectoryCookie, name: (Element) -> String,
                                      node: (Element) -> Node) throws {
        guard afterKey < listing.count else { return }
        for index in afterKey..<listing.count {
            guard let offset = cookie.offset(afterKey: index + 1),
                  let entry = try listedEntry(for: node(listing[index]), withAttributes: buffer.withAttributes)
            else { continue }
            guard buffer.add(name: name(listing[index]), entry: entry, nextOffset: offset) else { return }
        }
    }

    /// Messages keyed by sequence, fetched a reply's worth at a time.
    private func addMessages(of chat: ChatRecord, to buffer: inout DirectoryBuffer, afterSequence: Int,
                             cookie: DirectoryCookie) throws {
        var afterSequence = afterSequence
        let pageSize = min(buffer.estimatedCapacity, Self.maximumListingPage)
        while true {
            let page = try cache.messages(chatRowID: chat.rowID, afterSequence: afterSequence, limit: pageSize)
            for message in page {
                afterSequence = message.sequence
                guard let offset = cookie.offset(afterKey: message.sequence) else { return }
                guard let entry = try listedEntry(for: .messageFile(message), withAttributes: buffer.withAttributes) else {
                    continue
                }
                guard buffer.add(name: message.fileName, entry: entry, nextOffset: offset) else { return }
            }
            if page.count < pageSize { return }
        }
    }

    /// The root's and `unread/`'s listings are kept by the kernel. It takes the version of
    /// its cached listing when it asks for offset 0, and drops a reply that an invalidation
    /// overtook; a snapshot taken at opendir could predate an invalidation that came before
    /// that readdir, and would then be kept as current until the next change. So the
    /// snapshot is taken again here.
    private func retakeListing(of directory: Node, handle: UInt64) throws {
        guard handle != 0 else { return }
        switch directory {
        case .root, .unreadDirectory: handles.replace(handle, with: .rootListing(try currentChats(of: directory)))
        default: break
        }
    }

    /// The chats a snapshot directory lists: its handle's snapshot, or (no handle) the cache's.
    private func chatListing(of directory: Node, handle: UInt64) throws -> [ChatRecord] {
        if case .rootListing(let chats) = handles.contents(of: handle) { return chats }
        return try currentChats(of: directory)
    }

    /// The chats the root, a queue or `unread/` lists now.
    private func currentChats(of directory: Node) throws -> [ChatRecord] {
        switch directory {
        case .queueDirectory(let queue): try cache.queueMembers(queue.view.rawValue)
        case .unreadDirectory: try cache.unreadChats()
        default: try cache.chats()
        }
    }

    private func directoryEntry(for target: Node.EntryTarget, withAttributes: Bool) throws -> fuse_entry_param {
        switch target {
        case .dotEntry(let inode):
            var entry = fuse_entry_param()
            entry.attr.st_ino = UInt(inode.rawValue ?? 0)
            entry.attr.st_mode = S_IFDIR
            return entry
        case .node(let node):
            guard let entry = try listedEntry(for: node, withAttributes: withAttributes) else { throw FuseError(EIO) }
            return entry
        }
    }

    /// A full lookup reply for readdirplus (the kernel counts it as a lookup), only the inode
    /// number and type for readdir; nil for a row whose id has no inode number.
    func listedEntry(for node: Node, withAttributes: Bool) throws -> fuse_entry_param? {
        guard let inode = node.inodeNumber.rawValue else {
            logger.warning("row id too large for an inode number, not listed: \(node.inodeNumber)")
            return nil
        }
        if withAttributes { return try entry(for: node) }
        var entry = fuse_entry_param()
        entry.attr.st_ino = UInt(inode)
        entry.attr.st_mode = node.isDirectory ? S_IFDIR : (node.isSymlink ? S_IFLNK : S_IFREG)
        return entry
    }
}
