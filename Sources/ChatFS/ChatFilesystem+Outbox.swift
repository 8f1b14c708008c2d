import ChatCache
import CFuse
import Foundation

/// The writable part of the tree: files in a chat's `outbox/`. Writes go to an in-memory
/// buffer (`OutboxBuffers`); when the last writer closes the file it is committed: a
/// draft (`OutboxNames.isDraft`) is saved, any other name is queued as a message, durably,
/// before `close()` returns 0, or refused with the errno `close()` reports.
extension ChatFilesystem {
    /// How long an fsync of an outbox directory (or the root) waits for the queue to drain,
    /// and how often it looks whether its caller gave up or the mount is ending.
    static let flushBarrierTimeout: Duration = .seconds(3600)
    static let flushBarrierSlice: Duration = .seconds(1)
    /// How long `rm`, `mv` or an open for writing waits for a send attempt in flight to end
    /// before answering EBUSY. Offline, an attempt ends at once (connection refused); the
    /// deployed backend takes about 2 s to accept a message.
    static let sendInFlightTimeout: Duration = .seconds(3)
    private static let sendInFlightPoll: TimeInterval = 0.005

    // MARK: opening

    func create(parent: fuse_ino_t, name: String, _ info: fuse_file_info) throws -> FuseReply {
        guard case .outboxDirectory(let chat) = try node(parent) else { throw FuseError(EROFS) }
        guard OutboxNames.isValid(name) else { throw FuseError(EINVAL) }
        let item: OutboxItem
        do {
            item = try cache.createOutboxItem(chatID: chat.id, name: name)
        } catch OutboxConflict.exists {
            // Only a failed item can hide a name from the kernel: `x` is listed as `x.failed`.
            throw FuseError(EEXIST)
        }
        let entry: fuse_entry_param
        do {
            entry = try self.entry(for: .outboxFile(item, chat: chat))
        } catch {
            try? cache.deleteOutboxItem(rowID: item.rowID)
            throw error
        }
        var info = info
        info.fh = outboxBuffers.openWriter(rowID: item.rowID, storedContent: [], fresh: true, truncate: false,
                                           append: info.flags & O_APPEND != 0)
        return .created(entry, info)
    }

    func openOutboxFile(_ item: OutboxItem, _ info: fuse_file_info) throws -> FuseReply {
        var info = info
        let truncate = info.flags & O_TRUNC != 0
        guard info.flags & O_ACCMODE != O_RDONLY || truncate else {
            info.fh = outboxBuffers.openReader(rowID: item.rowID, storedContent: item.content)
            // A reader commits nothing: spare its close() the FLUSH round trip.
            info.noflush = 1
            return .open(info)
        }
        guard let item = try settled(item) else { throw FuseError(ENOENT) }
        // Read-only (0444) already; say so to root too. Renaming it back retries it.
        if item.state == .failed { throw FuseError(EACCES) }
        // The handle exists before the state changes, so a rename meanwhile sees the file open.
        let handle = outboxBuffers.openWriter(rowID: item.rowID, storedContent: item.content, fresh: false,
                                              truncate: truncate, append: info.flags & O_APPEND != 0)
        if item.state != .writing {
            do {
                // Out of the queue while open: the sender never takes a file still being written.
                try cache.saveOutboxContent(rowID: item.rowID, content: item.content, state: .writing)
            } catch {
                _ = outboxBuffers.release(handle)
                throw error
            }
        }
        info.fh = handle
        return .open(info)
    }

    // MARK: reading and writing

    /// What a read sees: the buffer the file's handles share (every open gets a handle).
    func outboxContent(handle: UInt64) throws -> [UInt8] {
        guard let content = outboxBuffers.content(of: handle) else { throw FuseError(EBADF) }
        return content
    }

    func writeOutboxFile(_ handle: UInt64, bytes: [UInt8], offset: Int64) throws -> FuseReply {
        if let rowID = outboxBuffers.committedRow(of: handle) {
            try reopenCommitted(handle, rowID: rowID)
        }
        return .written(try outboxBuffers.write(handle, bytes: bytes, offset: offset))
    }

    /// A write (or ftruncate) through a handle whose content was already committed (another
    /// descriptor of it was closed): the file is being written again, so a queued message
    /// leaves the queue until the next commit.
    private func reopenCommitted(_ handle: UInt64, rowID: Int64) throws {
        // Sent already (the row is gone): the data has nowhere to go.
        guard let item = try cache.outboxItem(rowID: rowID) else { throw FuseError(ESTALE) }
        if engine.sendingOutboxRowID == rowID { throw FuseError(EBUSY) }
        if item.state == .failed { throw FuseError(EACCES) }
        outboxBuffers.reopen(handle, storedContent: item.content)
        if item.state == .pending {
            try cache.saveOutboxContent(rowID: rowID, content: item.content, state: .writing)
        }
    }

    // MARK: closing

    /// One close() of a descriptor: commits when no writer is left, and reports a refusal.
    func flushOutboxFile(_ handle: UInt64) throws -> FuseReply {
        guard let snapshot = outboxBuffers.flush(handle) else { return .error(0) }
        do {
            try commit(snapshot)
        } catch let refusal as OutboxRefusal {
            // Not final yet: a shell's `echo hi > x` flushes the empty file once before it
            // writes. The refusal is recorded (and the file dropped) at release if it stands.
            logger.debug("close of outbox row \(snapshot.rowID) refused: \(refusal)")
            return .error(refusal.errno)
        }
        return .error(0)
    }

    /// fsync persists what is written so far (an editor's swap file survives a crash) and
    /// never sends anything early.
    func fsyncOutboxFile(_ handle: UInt64) throws -> FuseReply {
        if let snapshot = outboxBuffers.uncommitted(handle) {
            try cache.saveOutboxContent(rowID: snapshot.rowID, content: snapshot.content, state: .writing)
        }
        return .error(0)
    }

    /// The last handle of a file is gone: commit what is still uncommitted. The kernel does
    /// not wait for this reply, so a refusal can only be recorded: the file is dropped.
    func releaseOutboxFile(_ handle: UInt64) -> FuseReply {
        guard let snapshot = outboxBuffers.release(handle) else { return .error(0) }
        do {
            try commit(snapshot)
        } catch let refusal as OutboxRefusal {
            discardRefused(rowID: snapshot.rowID, refusal)
        } catch {
            logger.error("cannot store outbox row \(snapshot.rowID) at close: \(error)")
        }
        return .error(0)
    }

    /// Stores a closed file under the rules of the name it has now (a rename while it was
    /// open counts): a draft is saved, anything else is queued and the sender woken.
    /// Throws `OutboxRefusal` when the text cannot be queued; nothing is then changed.
    private func commit(_ snapshot: OutboxBuffers.Snapshot) throws {
        // Deleted meanwhile (its buffer would be detached, but the row may have been sent).
        guard let item = try cache.outboxItem(rowID: snapshot.rowID) else { return }
        if OutboxNames.isDraft(item.name) {
            try cache.saveOutboxContent(rowID: item.rowID, content: snapshot.content, state: .draft)
        } else {
            // Durable when it returns: only then may close() report success.
            try cache.enqueueOutboxItem(rowID: item.rowID, content: snapshot.content)
            engine.wakeSender()
        }
        outboxBuffers.committed(snapshot)
    }

    /// A file closed with text that cannot be sent: deleted (nothing partial stays queued or
    /// listed), the reason logged and shown in `.chatfs/status`.
    private func discardRefused(rowID: Int64, _ refusal: OutboxRefusal) {
        do {
            guard let item = try cache.outboxItem(rowID: rowID) else { return }
            let chat = try cache.chat(id: item.chatID)
            try cache.deleteOutboxItem(rowID: rowID)
            recordRefusal(refusal, chat: chat, name: item.name, chatID: item.chatID)
            changed(.outboxChanged(chatRowID: chat?.rowID, names: [item.listedName]))
        } catch {
            logger.error("cannot drop refused outbox row \(rowID): \(error)")
        }
    }

    func recordRefusal(_ refusal: OutboxRefusal, chat: ChatRecord?, name: String, chatID: String) {
        let path = "\(chat?.dirName ?? chatID)/\(Node.outboxDirectoryName)/\(name)"
        logger.warning("refused \(path): \(refusal)")
        do {
            try cache.setMeta(.lastRefusal, "\(MessageFormat.dateString(Date())) \(path): \(refusal)")
        } catch {
            logger.error("cannot record the refusal of \(path): \(error)")
        }
    }

    // MARK: attributes

    /// truncate/ftruncate and touch on outbox files; everything else in the tree is read-only.
    func setattr(_ inode: fuse_ino_t, _ requested: stat, toSet: Int32, handle: UInt64?) throws -> FuseReply {
        guard case .outboxFile(let item, let chat) = try node(inode) else { throw FuseError(EROFS) }
        let current = try attributes(of: .outboxFile(item, chat: chat))
        // Mode and owner are fixed; setting them to what they are is no change (`cp -p`).
        if toSet & FUSE_SET_ATTR_MODE != 0, requested.st_mode & 0o7777 != current.st_mode & 0o7777 { throw FuseError(EPERM) }
        if toSet & FUSE_SET_ATTR_UID != 0, requested.st_uid != current.st_uid { throw FuseError(EPERM) }
        if toSet & FUSE_SET_ATTR_GID != 0, requested.st_gid != current.st_gid { throw FuseError(EPERM) }

        if toSet & FUSE_SET_ATTR_SIZE != 0 {
            if let handle, let rowID = outboxBuffers.committedRow(of: handle) {
                try reopenCommitted(handle, rowID: rowID)
            }
            try truncate(item, to: Int(clamping: requested.st_size))
        }
        let times = FUSE_SET_ATTR_ATIME | FUSE_SET_ATTR_MTIME | FUSE_SET_ATTR_ATIME_NOW | FUSE_SET_ATTR_MTIME_NOW
        if toSet & times != 0, let stored = try cache.outboxItem(rowID: item.rowID) {
            // The store keeps one time, the last change: a touch sets it to now.
            try cache.saveOutboxContent(rowID: stored.rowID, content: stored.content, state: stored.state)
        }
        let updated = try node(inode)
        return .attributes(try attributes(of: updated), timeout: CacheTimeouts.attributes(of: updated))
    }

    private func truncate(_ item: OutboxItem, to size: Int) throws {
        if try outboxBuffers.truncate(rowID: item.rowID, to: size) { return }
        switch item.state {
        case .pending:
            throw FuseError(EBUSY)  // queued or being sent: rename it to a draft name to edit it
        case .failed:
            throw FuseError(EACCES)
        case .draft, .writing:
            guard size <= OutboxBuffers.maximumSize else { throw FuseError(EFBIG) }
            var content = item.content
            OutboxBuffers.resize(&content, to: size)
            try cache.saveOutboxContent(rowID: item.rowID, content: content, state: item.state)
            outboxBuffers.storedContentChanged(rowID: item.rowID, to: content)
        }
    }

    // MARK: names

    /// rm cancels: drafts, queued and failed files are deleted; one being sent is busy.
    func unlink(parent: fuse_ino_t, name: String) throws -> FuseReply {
        guard case .outboxDirectory(let chat) = try node(parent) else { throw FuseError(EROFS) }
        guard let found = try cache.outboxItem(chatID: chat.id, listedName: name),
              let item = try settled(found), item.listedName == name else { throw FuseError(ENOENT) }
        try cache.deleteOutboxItem(rowID: item.rowID)
        outboxBuffers.detach(rowID: item.rowID)
        return .error(0)
    }

    /// The flush barrier (`chatfs sync`, or fsync of an outbox directory, `.chatfs` or the
    /// root): returns once every queued message is sent or failed. It holds a worker thread,
    /// and the kernel holds the directory's lock meanwhile (so `.chatfs` is the one that
    /// blocks nobody). It ends early with EINTR when the caller is interrupted (Ctrl-C: the
    /// kernel's wait is not otherwise killable) or the mount is ending (libfuse joins the
    /// worker threads before it unmounts).
    func fsyncdir(_ inode: fuse_ino_t, isInterrupted: () -> Bool) throws -> FuseReply {
        switch InodeNumber(rawValue: inode) {
        case .root, .controlDirectory, .outboxDirectory:
            let deadline = ContinuousClock.now + Self.flushBarrierTimeout
            while !engine.waitUntilOutboxDrained(timeout: Self.flushBarrierSlice) {
                if isInterrupted() || isUnmounting { throw FuseError(EINTR) }
                if ContinuousClock.now >= deadline { throw FuseError(EAGAIN) }
            }
        default:
            break
        }
        return .error(0)
    }

    /// `item` as it is once no send of it is in flight: nil when the send took it out of the
    /// outbox. EBUSY when the attempt outlasts `sendInFlightTimeout`. Waiting lets `rm` and
    /// `mv` act on the attempt's outcome, and an offline attempt is over in milliseconds.
    func settled(_ item: OutboxItem) throws -> OutboxItem? {
        guard engine.sendingOutboxRowID == item.rowID else { return item }
        let deadline = ContinuousClock.now + Self.sendInFlightTimeout
        while engine.sendingOutboxRowID == item.rowID {
            guard ContinuousClock.now < deadline else { throw FuseError(EBUSY) }
            Thread.sleep(forTimeInterval: Self.sendInFlightPoll)
        }
        return try cache.outboxItem(rowID: item.rowID)
    }

    /// The state `user.chatfs.state` shows: `sending` and `writing` are known here, not stored.
    func shownState(of item: OutboxItem) -> String {
        if engine.sendingOutboxRowID == item.rowID { return "sending" }
        if outboxBuffers.isOpenForWriting(rowID: item.rowID) { return OutboxState.writing.rawValue }
        return item.state.rawValue
    }
}
