import ChatCache
import ChatOutbox
import CFuse
import Foundation

/// The writable part of the tree: files in a chat's `outbox/`. Writes go to an in-memory
/// buffer (`OutboxBuffers`: FUSE's side of it); when the last writer closes the file the
/// buffer is handed to the outbox (`Outbox.commit`), which saves a draft or queues a
/// message, durably, before `close()` returns 0. Everything about sending is the outbox's;
/// this file maps its answers to errno (`OutboxError.errno`).
extension ChatFilesystem {
    /// How long an fsync of an outbox directory (or `.chatfs`) waits for the queue to
    /// drain, and how often it looks whether its caller gave up or the mount is ending.
    static let flushBarrierTimeout: Duration = .seconds(3600)
    static let flushBarrierSlice: Duration = .seconds(1)

    // MARK: opening

    /// `mode` is the creator's, after its umask (the kernel applies it): kept like a chmod.
    func create(parent: fuse_ino_t, name: String, mode: mode_t = 0o644, _ info: fuse_file_info) throws -> FuseReply {
        guard case .outboxDirectory(let chat) = try node(parent) else { throw FuseError(EROFS) }
        sync.noteAccess(chatRowID: chat.rowID)  // writing is using the mount: it ends an idle period
        let item = try outbox.create(chatID: chat.id, name: name, mode: Int(mode & 0o777))
        let entry: fuse_entry_param
        do {
            entry = try self.entry(for: .outboxFile(item, chat: chat))
        } catch {
            try? outbox.remove(chatID: chat.id, listedName: item.listedName)
            throw error
        }
        var info = info
        info.fh = outboxBuffers.openWriter(rowID: item.rowID, storedContent: [], fresh: true, truncate: false,
                                           append: info.flags & O_APPEND != 0)
        return .created(entry, info)
    }

    func openOutboxFile(_ item: OutboxRecord, _ info: fuse_file_info) throws -> FuseReply {
        var info = info
        let truncate = info.flags & O_TRUNC != 0
        guard info.flags & O_ACCMODE != O_RDONLY || truncate else {
            info.fh = outboxBuffers.openReader(rowID: item.rowID, storedContent: try outbox.content(rowID: item.rowID) ?? [])
            // A reader commits nothing: spare its close() the FLUSH round trip.
            info.noflush = 1
            return .open(info)
        }
        // Out of the queue while open (the sender never takes a file being written); waits
        // for an attempt in flight, and refuses a failed, refused or in-doubt file.
        let stored = try outbox.beginWriting(rowID: item.rowID)
        info.fh = outboxBuffers.openWriter(rowID: item.rowID, storedContent: stored, fresh: false,
                                           truncate: truncate, append: info.flags & O_APPEND != 0)
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
    /// leaves the queue until the next commit. One already sent has nowhere to go: ESTALE.
    private func reopenCommitted(_ handle: UInt64, rowID: Int64) throws {
        do {
            outboxBuffers.reopen(handle, storedContent: try outbox.beginWriting(rowID: rowID))
        } catch OutboxError.gone {
            throw FuseError(ESTALE)
        }
    }

    // MARK: closing

    /// One close() of a descriptor: commits when no writer is left, and reports a refusal.
    func flushOutboxFile(_ handle: UInt64) throws -> FuseReply {
        guard let snapshot = outboxBuffers.flush(handle) else { return .error(0) }
        if let refusal = try commit(snapshot) {
            // Not final yet: a shell's `echo hi > x` flushes the empty file once before it
            // writes. The refusal is recorded (the file kept as `x.refused`) at release if
            // it still stands then.
            logger.debug("close of outbox row \(snapshot.rowID) refused: \(refusal)")
            return .error(refusal.errno)
        }
        return .error(0)
    }

    /// fsync persists what is written so far (an editor's swap file survives a crash) and
    /// never sends anything early.
    func fsyncOutboxFile(_ handle: UInt64) throws -> FuseReply {
        if let snapshot = outboxBuffers.uncommitted(handle) {
            try outbox.saveUncommitted(rowID: snapshot.rowID, content: snapshot.content)
        }
        return .error(0)
    }

    /// The last handle of a file is gone: commit what is still uncommitted. The kernel does
    /// not wait for this reply, so a refusal stands now: the file is kept as `<name>.refused`.
    func releaseOutboxFile(_ handle: UInt64) -> FuseReply {
        guard let snapshot = outboxBuffers.release(handle) else { return .error(0) }
        do {
            if let refusal = try commit(snapshot) {
                outbox.refuse(rowID: snapshot.rowID, content: snapshot.content, reason: refusal)
            }
        } catch {
            logger.error("cannot store outbox row \(snapshot.rowID) at close: \(error)")
        }
        return .error(0)
    }

    /// Hands a closed buffer to the outbox. Returns the refusal when the content cannot be
    /// queued (nothing is changed then).
    private func commit(_ snapshot: OutboxBuffers.Snapshot) throws -> OutboxRefusal? {
        do {
            try outbox.commit(rowID: snapshot.rowID, content: snapshot.content, oversize: snapshot.oversize)
        } catch OutboxError.refused(let refusal) {
            return refusal
        }
        outboxBuffers.committed(snapshot)
        return nil
    }

    // MARK: attributes

    /// truncate/ftruncate and touch on outbox files; everything else in the tree is read-only.
    func setattr(_ inode: fuse_ino_t, _ requested: stat, toSet: Int32, handle: UInt64?) throws -> FuseReply {
        guard case .outboxFile(let item, let chat) = try node(inode) else { throw FuseError(EROFS) }
        let current = try attributes(of: .outboxFile(item, chat: chat))
        // The owner is fixed (setting it to what it is is no change: `cp -p`); the permission
        // bits are kept (`install` sets them), special bits refused.
        if toSet & FUSE_SET_ATTR_MODE != 0, requested.st_mode & 0o7777 != current.st_mode & 0o7777 {
            guard requested.st_mode & 0o7000 == 0 else { throw FuseError(EPERM) }
            try outbox.setMode(rowID: item.rowID, Int(requested.st_mode & 0o777))
        }
        if toSet & FUSE_SET_ATTR_UID != 0, requested.st_uid != current.st_uid { throw FuseError(EPERM) }
        if toSet & FUSE_SET_ATTR_GID != 0, requested.st_gid != current.st_gid { throw FuseError(EPERM) }

        if toSet & FUSE_SET_ATTR_SIZE != 0 {
            if let handle, let rowID = outboxBuffers.committedRow(of: handle) {
                try reopenCommitted(handle, rowID: rowID)
            }
            let size = Int(clamping: requested.st_size)
            if try !outboxBuffers.truncate(rowID: item.rowID, to: size) {
                outboxBuffers.storedContentChanged(rowID: item.rowID, to: try outbox.truncateClosed(rowID: item.rowID, to: size))
            }
        }
        let times = FUSE_SET_ATTR_ATIME | FUSE_SET_ATTR_MTIME | FUSE_SET_ATTR_ATIME_NOW | FUSE_SET_ATTR_MTIME_NOW
        if toSet & times != 0 {
            // The store keeps one time, the last change: a touch sets it to now.
            try outbox.touch(rowID: item.rowID)
        }
        let updated = try node(inode)
        return .attributes(try attributes(of: updated), timeout: CacheTimeouts.attributes(of: updated))
    }

    // MARK: names

    /// rm cancels a draft or a waiting message and dismisses a failed or refused file. A
    /// message being sent is waited for (then it is gone: ENOENT); one that may already be
    /// on the server is EBUSY until the sender has looked.
    func unlink(parent: fuse_ino_t, name: String) throws -> FuseReply {
        guard case .outboxDirectory(let chat) = try node(parent) else { throw FuseError(EROFS) }
        let rowID = try outbox.item(chatID: chat.id, listedName: name)?.rowID
        try outbox.remove(chatID: chat.id, listedName: name)
        if let rowID { outboxBuffers.detach(rowID: rowID) }
        return .error(0)
    }

    /// The flush barrier (`chatfs sync`, or fsync of an outbox directory, `.chatfs` or the
    /// root): ends every send window and returns once every queued message is sent or
    /// failed. It holds a worker thread, and the kernel holds the directory's lock meanwhile
    /// (so `.chatfs` is the one that blocks nobody). It ends early with EINTR when the
    /// caller is interrupted (Ctrl-C: the kernel's wait is not otherwise killable) or the
    /// mount is ending (libfuse joins the worker threads before it unmounts).
    func fsyncdir(_ inode: fuse_ino_t, isInterrupted: () -> Bool) throws -> FuseReply {
        switch InodeNumber(rawValue: inode) {
        case .root, .controlDirectory, .outboxDirectory:
            let deadline = ContinuousClock.now + Self.flushBarrierTimeout
            while !outbox.drain(timeout: Self.flushBarrierSlice) {
                if isInterrupted() || isUnmounting { throw FuseError(EINTR) }
                if ContinuousClock.now >= deadline { throw FuseError(EAGAIN) }
            }
        default:
            break
        }
        return .error(0)
    }

    /// The state `user.chatfs.state` shows: a file open for writing is `writing` whatever
    /// the store says.
    func shownState(of item: OutboxRecord) -> String {
        if outboxBuffers.isOpenForWriting(rowID: item.rowID) { return OutboxState.writing.rawValue }
        return item.state.rawValue
    }
}
