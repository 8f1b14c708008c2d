import ChatCache
import CFuse
import Foundation

/// rename: only within and between outboxes; the outbox decides and applies it in one
/// transaction (`Outbox.rename`), so a rename that sends has queued durably before the reply.
extension ChatFilesystem {
    func rename(parent: fuse_ino_t, name: String, newParent: fuse_ino_t, newName: String, flags: UInt32) throws -> FuseReply {
        let from = try node(parent)
        let to = try node(newParent)
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
}
