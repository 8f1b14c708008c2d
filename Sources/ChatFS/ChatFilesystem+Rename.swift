import ChatCache
import CFuse
import Foundation

/// rename: only within and between outboxes (`OutboxRename` decides what it means). Every
/// reply comes after the cache call returned, so a rename that sends has queued durably.
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
        guard let found = try cache.outboxItem(chatID: fromChat.id, listedName: name),
              let item = try settled(found), item.listedName == name else { throw FuseError(ENOENT) }
        let sending = engine.sendingOutboxRowID

        var replaced: OutboxItem?
        var target: OutboxRename.Target?
        if let listed = try cache.outboxItem(chatID: toChat.id, listedName: newName), listed.rowID != item.rowID {
            replaced = listed
            target = .listed(isSending: listed.rowID == sending)
        } else if let twin = try cache.outboxItem(chatID: toChat.id, listedName: newName + OutboxNames.failedSuffix),
                  twin.rowID != item.rowID {
            target = .failedTwin
        }

        let action = OutboxRename.action(state: item.state, isSending: item.rowID == sending,
                                         isOpenForWriting: outboxBuffers.isOpenForWriting(rowID: item.rowID),
                                         newName: newName, target: target, flags: flags)
        switch action {
        case .refuse(let code):
            throw FuseError(code)
        case .move(let state):
            try cache.renameOutboxItem(rowID: item.rowID, to: newName, chatID: toChat.id, state: state)
        case .moveAndEnqueue:
            try moveAndEnqueue(item, to: toChat, as: newName, replacing: replaced)
            engine.wakeSender()
        }
        if let replaced { outboxBuffers.detach(rowID: replaced.rowID) }
        return .error(0)
    }

    /// Renames `item` and queues it with its stored content. A refusal leaves it where and
    /// what it was (a draft stays a draft under its old name) and is the rename's errno.
    private func moveAndEnqueue(_ item: OutboxItem, to chat: ChatRecord, as newName: String, replacing replaced: OutboxItem?) throws {
        do {
            if replaced == nil, chat.id == item.chatID {
                // One durable step: queued under the new name, or refused with nothing changed.
                try cache.enqueueOutboxItem(rowID: item.rowID, content: item.content, name: newName)
                return
            }
            // Replacing another file or changing chats takes two steps: rename (which drops
            // the replaced file), then queue. Check first what would refuse the second, so
            // that undoing it (and losing the replaced file) takes a race with another writer.
            _ = try OutboxPolicy.classify(item.content)
            if replaced?.state != .pending, try cache.pendingOutboxCount() >= OutboxPolicy.maxPending {
                throw OutboxRefusal.queueFull(limit: OutboxPolicy.maxPending)
            }
            try cache.renameOutboxItem(rowID: item.rowID, to: newName, chatID: chat.id, state: item.state)
            do {
                try cache.enqueueOutboxItem(rowID: item.rowID, content: item.content)
            } catch let refusal as OutboxRefusal {
                try cache.renameOutboxItem(rowID: item.rowID, to: item.name, chatID: item.chatID, state: item.state)
                throw refusal
            }
        } catch let refusal as OutboxRefusal {
            recordRefusal(refusal, chat: chat, name: newName, chatID: chat.id)
            throw FuseError(refusal.errno)
        }
    }
}
