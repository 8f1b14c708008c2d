import ChatCache
import CFuse
import Foundation

/// lookup and getattr: names to nodes, nodes to attributes.
extension ChatFilesystem {
    /// The node behind an inode number the kernel sent; ENOENT when its row is gone.
    func node(_ inode: fuse_ino_t) throws -> Node {
        try node(InodeNumber(rawValue: inode))
    }

    func node(_ number: InodeNumber?) throws -> Node {
        guard let number, let node = try Node.resolve(number, in: cache, outbox: outbox, searches: searches) else { throw FuseError(ENOENT) }
        return node
    }

    func lookup(parent: fuse_ino_t, name: String) throws -> FuseReply {
        let parent = InodeNumber(rawValue: parent)
        if case .chatDirectory(let chatRowID) = parent {
            visit(chatRowID: chatRowID)
        }
        guard let child = try child(named: name, in: parent) else {
            return .entry(Self.negativeEntry(in: parent))
        }
        return .entry(try entry(for: child))
    }

    /// A symlink's target (queue and unread entries, search results, `<chat>/media`, `<chat>/transcript`).
    func readlink(_ inode: fuse_ino_t) throws -> FuseReply {
        guard let target = try node(inode).linkTarget else { throw FuseError(EINVAL) }
        return .link(target)
    }

    func getattr(_ inode: fuse_ino_t) throws -> FuseReply {
        let node = try node(inode)
        return .attributes(try attributes(of: node), timeout: CacheTimeouts.attributes(of: node))
    }

    /// A lookup or listing inside a chat directory: the chat is in use. The first visit of a
    /// chat never synced waits (at most `firstPageTimeout`) for its newest page.
    func visit(chatRowID: Int64) {
        sync.visit(chatRowID: chatRowID, firstPageTimeout: Self.firstPageTimeout)
    }

    private func child(named name: String, in parent: InodeNumber?) throws -> Node? {
        // The lookup that matters most (`cat chat/000123-alice.txt`) needs only the chat's
        // row id, which the parent's inode number carries: one row read, not two. The name
        // gives the sequence; the row counts only if it makes the same name (another
        // sender or extension is another, absent, file).
        if case .chatDirectory(let chatRowID) = parent, let sequence = MessageFormat.sequence(inFileName: name) {
            guard let message = try cache.message(chatRowID: chatRowID, sequence: sequence), message.fileName == name else {
                return nil
            }
            return .messageFile(message)
        }
        let directory = try node(parent)
        guard directory.isDirectory else { throw FuseError(ENOTDIR) }
        if let fixed = directory.fixedChild(named: name, showsQueues: sync.isTechnician) { return fixed }
        switch directory {
        case .root:
            return try cache.chat(dirName: name).map(Node.chatDirectory)
        case .queueDirectory(let queue):
            guard let chat = try cache.chat(dirName: name), try cache.isQueueMember(queue.view.rawValue, chatID: chat.id) else {
                return nil
            }
            return .queueEntry(queue, chat: chat)
        case .outboxDirectory(let chat):
            return try outbox.item(chatID: chat.id, listedName: name).map { .outboxFile($0, chat: chat) }
        case .mediaDirectory(let chat):
            return try cache.media(chatID: chat.id, name: name).map { .mediaFile($0, chat: chat) }
        case .mediaRoot:
            // `<chat>/media` points here by the chat's row id.
            guard let rowID = Int64(name), String(rowID) == name else { return nil }
            return try cache.chat(rowID: rowID).map(Node.mediaDirectory)
        case .unreadDirectory:
            guard let chat = try cache.chat(dirName: name), chat.unreadCount > 0 else { return nil }
            return .unreadEntry(chat)
        case .searchDirectory:
            return .searchQueryDirectory(try searchQueryDirectory(named: name))
        case .searchQueryDirectory(let directory):
            return try searchResult(named: name, in: directory).map(Node.searchResult)
        case .transcriptsDirectory:
            // Named by the chat's row id, in its one decimal spelling.
            guard let rowID = Int64(name), rowID > 0, String(rowID) == name else { return nil }
            return try cache.chat(rowID: rowID).map(Node.transcriptFile)
        default:
            return nil
        }
    }
}
