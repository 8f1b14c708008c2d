import ChatAPI
import ChatCache
import CFuse
import Foundation

/// getxattr, listxattr, setxattr and removexattr over `ExtendedAttributes`.
extension ChatFilesystem {
    func getxattr(_ inode: fuse_ino_t, name: String, size: Int) throws -> FuseReply {
        guard ExtendedAttributes.isSupported(name) else { throw FuseError(EOPNOTSUPP) }
        let value = try ExtendedAttributes.value(name, of: node(inode), from: attributeSources)
        guard let value else { throw FuseError(ENODATA) }
        return ExtendedAttributes.reply(with: Array(value.utf8), requestedSize: size)
    }

    func listxattr(_ inode: fuse_ino_t, size: Int) throws -> FuseReply {
        let node = try node(inode)
        let names = ExtendedAttributes.names(of: node, triage: try triage(of: node))
        return ExtendedAttributes.reply(with: ExtendedAttributes.nameList(names), requestedSize: size)
    }

    /// `setfattr -n user.chatfs.unread -v 0 CHAT` marks the chat read: queued (it works
    /// offline) and told to the server by the sender. Attachments take `user.chatfs.pinned`
    /// (ChatFilesystem+Media). Nothing else is settable; "not supported" lets `cp -a` and
    /// editors copying attributes carry on quietly.
    func setxattr(_ inode: fuse_ino_t, name: String, value: [UInt8]) throws -> FuseReply {
        guard ExtendedAttributes.isSupported(name) else { throw FuseError(EOPNOTSUPP) }
        let node = try node(inode)
        if case .mediaFile(let media, _) = node { return try setMediaAttribute(media, name: name, value: value) }
        guard case .chatDirectory(let chat) = node, name == ExtendedAttributes.unread else {
            throw FuseError(EOPNOTSUPP)
        }
        guard ExtendedAttributes.marksRead(value) else { throw FuseError(EINVAL) }
        try outbox.markRead(chatID: chat.id)
        changed(.chatChanged(rowID: chat.rowID))
        return .error(0)
    }

    /// Our attributes are computed from the records: none can be removed.
    func removexattr(_ inode: fuse_ino_t, name: String) throws -> FuseReply {
        guard ExtendedAttributes.isSupported(name) else { throw FuseError(EOPNOTSUPP) }
        let node = try node(inode)
        guard ExtendedAttributes.names(of: node, triage: try triage(of: node)).contains(name) else { throw FuseError(ENODATA) }
        throw FuseError(EPERM)
    }

    private var attributeSources: ExtendedAttributes.Sources {
        ExtendedAttributes.Sources(
            chatOfMessage: { [cache] in try cache.chat(rowID: $0) },
            outboxState: shownState,
            triage: { [cache, sync] chat in sync.isTechnician ? try cache.triage(chatRowID: chat.rowID) : nil },
            assignedToMe: { [cache] chat in try cache.isQueueMember(TechnicianView.allYourRequests.rawValue, chatID: chat.id) },
            queueCount: { [cache] queue in try cache.queueView(queue.view.rawValue)?.count })
    }

    private func triage(of node: Node) throws -> ChatTriage? {
        guard sync.isTechnician, case .chatDirectory(let chat) = node else { return nil }
        return try cache.triage(chatRowID: chat.rowID)
    }
}
