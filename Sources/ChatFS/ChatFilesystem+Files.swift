import CFuse
import Foundation

/// open, read, write, flush, fsync, release. Message files never change: `keep_cache` lets
/// the kernel serve every read after the first. `.chatfs/status` is read through
/// (`direct_io`) from the text snapshotted at open. Outbox files are the only writable
/// ones (ChatFilesystem+Outbox); their handles come from `outboxBuffers`, the others' from
/// `handles`, told apart by the inode's kind. Attachments (ChatFilesystem+Media) are read
/// from the blob descriptor their handle holds. A transcript is read from its chat's rows;
/// `.chatfs/events` from the reader its handle names (`EventStream`).
extension ChatFilesystem {
    func open(_ inode: fuse_ino_t, _ info: fuse_file_info) throws -> FuseReply {
        let number = InodeNumber(rawValue: inode)
        if case .outboxFile = number {
            guard case .outboxFile(let item, _) = try node(number) else { throw FuseError(ENOENT) }
            return try openOutboxFile(item, info)
        }
        // Writing (or truncating on open: FUSE_CAP_ATOMIC_O_TRUNC hands us O_TRUNC) is refused.
        guard info.flags & O_ACCMODE == O_RDONLY, info.flags & O_TRUNC == 0 else { throw FuseError(EROFS) }
        var info = info
        // Nothing to do at close(): no FLUSH round trip per file (a `cat *` of 10,000 files).
        info.noflush = 1
        switch number {
        case .messageFile(let rowID):
            info.keep_cache = 1
            try storeContents(ofMessage: rowID, inode: inode)
        case .statusFile(let format):
            info.fh = handles.open(.statusSnapshot(try statusSnapshot(format)))
            info.direct_io = 1
        case .mediaFile:
            // Attachments never change: the kernel keeps what it read across opens.
            info.fh = try openMediaFile(number)
            info.keep_cache = 1
        case .transcriptFile:
            // Bytes never change at an offset; growth and restarts come with an invalidation
            // (ChangeNotifier), and a size change drops the kernel's pages.
            _ = try node(number)
            info.keep_cache = 1
        case .eventsFile:
            // Every read reaches us (none is served from pages), and there is nothing to seek.
            info.fh = events.open()
            sync.followingStarted()
            info.direct_io = 1
            info.nonseekable = 1
        case .root, .controlDirectory, .chatDirectory, .mediaDirectory, .outboxDirectory, .queuesDirectory, .queueDirectory,
             .searchDirectory, .mediaRoot, .unreadDirectory, .searchQueryDirectory, .transcriptsDirectory:
            throw FuseError(EISDIR)
        case .queueEntry, .searchResult, .unreadEntry, .mediaLink, .transcriptLink:
            throw FuseError(ELOOP)  // the kernel follows links itself; a link is never opened
        case .outboxFile, nil:
            throw FuseError(ENOENT)
        }
        return .open(info)
    }

    /// At a message file's first open in this mount, hands the kernel its bytes before the
    /// open is answered: the reads that follow, and the `stat` after them (a READ marks the
    /// atime stale), never reach us. A first `cat` of a file then costs OPEN and RELEASE
    /// instead of OPEN, READ, RELEASE and a GETATTR on the next pass. Later opens read no
    /// row at all: the kernel keeps the pages (`keep_cache`).
    private func storeContents(ofMessage rowID: Int64, inode: fuse_ino_t) throws {
        guard storedMessages.insert(rowID) else { return }
        guard case .messageFile(let message) = try node(inode) else {
            storedMessages.remove(rowID)
            throw FuseError(ENOENT)
        }
        // Not stored (no session, or the kernel refused): the READ path serves it as before.
        guard let session, session.store(inode, bytes: message.renderedBytes()) == 0 else {
            storedMessages.remove(rowID)
            return
        }
        // What the READ would have stamped: the chat stays in the LRU order by real use.
        sync.noteAccess(chatRowID: message.chatRowID)
    }

    func read(_ request: fuse_req_t, _ inode: fuse_ino_t, size: Int, offset: Int64, _ info: fuse_file_info) throws -> FuseReply {
        switch InodeNumber(rawValue: inode) {
        case .mediaFile:
            return try readMediaFile(handle: info.fh, size: size, offset: offset)
        case .eventsFile:
            return events.read(request, handle: info.fh, size: size)
        case .transcriptFile(let chatRowID):
            sync.noteAccess(chatRowID: chatRowID)
            return .bytes(try cache.transcriptBytes(chatRowID: chatRowID, offset: offset, count: size))
        default:
            break
        }
        let contents: [UInt8]
        if case .outboxFile = InodeNumber(rawValue: inode) {
            contents = try outboxContent(handle: info.fh)
        } else if info.fh != 0, case .statusSnapshot(let snapshot) = handles.contents(of: info.fh) {
            contents = snapshot
        } else if case .messageFile(let message) = try node(inode) {
            // Reached once per file while the kernel keeps its pages: a cheap in-memory stamp
            // that keeps the chat in the LRU order by real use.
            sync.noteAccess(chatRowID: message.chatRowID)
            contents = message.renderedBytes()
        } else {
            throw FuseError(EBADF)
        }
        guard offset >= 0, offset < Int64(contents.count), size > 0 else { return .bytes([]) }
        let start = Int(offset)
        return .bytes(Array(contents[start..<min(contents.count, start + min(size, contents.count))]))
    }

    func write(_ inode: fuse_ino_t, bytes: [UInt8], offset: Int64, _ info: fuse_file_info) throws -> FuseReply {
        guard case .outboxFile = InodeNumber(rawValue: inode), info.fh != 0 else { throw FuseError(EBADF) }
        return try writeOutboxFile(info.fh, bytes: bytes, offset: offset)
    }

    /// Sent at every close() of a descriptor (files opened with `noflush` excepted). Must
    /// never answer ENOSYS: the kernel would stop sending FLUSH for the whole mount.
    func flush(_ inode: fuse_ino_t, _ info: fuse_file_info) throws -> FuseReply {
        guard case .outboxFile = InodeNumber(rawValue: inode), info.fh != 0 else { return .error(0) }
        return try flushOutboxFile(info.fh)
    }

    func fsync(_ inode: fuse_ino_t, _ info: fuse_file_info) throws -> FuseReply {
        guard case .outboxFile = InodeNumber(rawValue: inode), info.fh != 0 else { return .error(0) }
        return try fsyncOutboxFile(info.fh)
    }

    func release(_ inode: fuse_ino_t, _ info: fuse_file_info) -> FuseReply {
        guard info.fh != 0 else { return .error(0) }
        switch InodeNumber(rawValue: inode) {
        case .outboxFile: return releaseOutboxFile(info.fh)
        case .mediaFile: releaseMediaFile(handle: info.fh)
        case .eventsFile:
            events.close(info.fh)
            sync.followingEnded()
        default: handles.close(info.fh)
        }
        return .error(0)
    }

    /// Only `.chatfs/events` waits for data; every other file is always ready (what the
    /// kernel answers when a filesystem has no poll).
    func poll(_ inode: fuse_ino_t, _ info: fuse_file_info, keeping pollHandle: OpaquePointer?) -> FuseReply {
        if case .eventsFile = InodeNumber(rawValue: inode) {
            return events.poll(handle: info.fh, keeping: pollHandle)
        }
        if let pollHandle { fuse_pollhandle_destroy(pollHandle) }
        return .poll(UInt32(POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM))
    }
}
