import CFuse
import Foundation

/// open, read, release. Message files never change: `keep_cache` lets the kernel serve
/// every read after the first. `.chatfs/status` is read through (`direct_io`) from the
/// text snapshotted at open.
extension ChatFilesystem {
    func open(_ inode: fuse_ino_t, _ info: fuse_file_info) throws -> FuseReply {
        // Writing (or truncating on open: FUSE_CAP_ATOMIC_O_TRUNC hands us O_TRUNC) is refused.
        guard info.flags & O_ACCMODE == O_RDONLY, info.flags & O_TRUNC == 0 else { throw FuseError(EROFS) }
        var info = info
        switch InodeNumber(rawValue: inode) {
        case .messageFile:
            // No database read: the kernel looked this inode up moments ago, and `cat *`
            // opens 10,000 of them. A message gone since then fails at read with ENOENT.
            info.keep_cache = 1
        case .statusFile:
            info.fh = handles.open(.statusSnapshot(try statusSnapshot()))
            info.direct_io = 1
        case .root, .controlDirectory, .chatDirectory, .mediaDirectory, .outboxDirectory:
            throw FuseError(EISDIR)
        case nil:
            throw FuseError(ENOENT)
        }
        return .open(info)
    }

    func read(_ inode: fuse_ino_t, size: Int, offset: Int64, _ info: fuse_file_info) throws -> FuseReply {
        let contents: [UInt8]
        if info.fh != 0, case .statusSnapshot(let snapshot) = handles.contents(of: info.fh) {
            contents = snapshot
        } else if case .messageFile(let message) = try node(inode) {
            contents = message.renderedBytes()
        } else {
            throw FuseError(EBADF)
        }
        guard offset >= 0, offset < Int64(contents.count), size > 0 else { return .bytes([]) }
        let start = Int(offset)
        return .bytes(Array(contents[start..<min(contents.count, start + min(size, contents.count))]))
    }

    func release(_ info: fuse_file_info) -> FuseReply {
        if info.fh != 0 { handles.close(info.fh) }
        return .error(0)
    }
}
