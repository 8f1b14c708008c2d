import ChatCache
import ChatOutbox
import CFuse
import Foundation

/// rename: within and between outboxes, the outbox decides and applies it in one
/// transaction (`Outbox.rename`), so a rename that sends has queued durably before the
/// reply. Between queues, moving a chat into `my-unsolved` (or `all-your-requests`) takes
/// its ticket, queued the same way.
extension ChatFilesystem {
    func rename(parent: fuse_ino_t, name: String, newParent: fuse_ino_t, newName: String, flags: UInt32) throws -> FuseReply {
        let from = try node(parent)
        let to = try node(newParent)
        if case .queueDirectory(let source) = from {
            guard case .queueDirectory(let target) = to else { throw FuseError(EXDEV) }
            return try take(name, from: source, to: target, newName: newName)
        }
        guard case .outboxDirectory(let fromChat) = from, case .outboxDirectory(let toChat) = to else {
            // Into or out of an outbox: EXDEV makes `mv` copy and unlink, which sends a file
            // moved in and refuses (read-only) to remove a message file moved out.
            if case .outboxDirectory = from { throw FuseError(EXDEV) }
            if case .outboxDirectory = to { throw FuseError(EXDEV) }
            throw FuseError(EROFS)
        }
        let replaced = try outbox.rename(chatID: fromChat.id, listedName: name, toChatID: toChat.id, newName: newName, flags: flags,
                                         isOpenForWriting: { outboxBuffers.isOpenForWriting(rowID: $0) })
        if let replaced { outboxBuffers.detach(rowID: replaced) }
        return .error(0)
    }

    /// `mv queues/<view>/<chat> queues/my-unsolved/`: the ticket is taken (queued: it works
    /// offline and goes exactly once; a refusal shows as `<chat>/outbox/take-ticket.failed`).
    /// Any other move between queues is not something the server can do.
    private func take(_ name: String, from source: QueueDirectory, to target: QueueDirectory, newName: String) throws -> FuseReply {
        guard target.takesTickets, source != target, newName == name else { throw FuseError(EPERM) }
        guard let chat = try cache.chat(dirName: name), try cache.isQueueMember(source.view.rawValue, chatID: chat.id) else {
            throw FuseError(ENOENT)
        }
        try outbox.take(chatID: chat.id)
        changed(.outboxChanged(chatRowID: chat.rowID, names: [Outbox.takeName]))
        return .error(0)
    }
}
