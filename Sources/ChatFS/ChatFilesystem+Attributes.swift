import ChatCache
import CFuse
import Foundation

/// `stat` for every node: exact sizes, times from the records, owner = the mounting user.
extension ChatFilesystem {
    func attributes(of node: Node) throws -> stat {
        guard let inode = node.inodeNumber.rawValue else { throw FuseError(EOVERFLOW) }
        var attributes = stat()
        attributes.st_ino = UInt(inode)
        attributes.st_uid = owner.userID
        attributes.st_gid = owner.groupID
        attributes.st_blksize = 4096
        switch node {
        case .root:
            // ".", "..", ".chatfs" and one ".." in each chat directory.
            setDirectory(&attributes, linkCount: 3 + (try cache.chats().count), time: rootModified.withLock { $0 })
        case .controlDirectory:
            setDirectory(&attributes, linkCount: 2, time: mountTime)
        case .chatDirectory(let chat):
            setDirectory(&attributes, linkCount: 4, time: chat.lastMessageAt ?? chat.createdAt)
        case .mediaDirectory(let chat), .outboxDirectory(let chat):
            setDirectory(&attributes, linkCount: 2, time: chat.createdAt)
        case .statusFile:
            setReadOnlyFile(&attributes, size: try statusSnapshot().count, time: Date())
        case .messageFile(let message):
            setReadOnlyFile(&attributes, size: message.renderedSize, time: message.createdAt)
        }
        return attributes
    }

    /// The reply to a lookup (or a readdirplus entry) that found `node`.
    func entry(for node: Node) throws -> fuse_entry_param {
        var entry = fuse_entry_param()
        entry.attr = try attributes(of: node)
        entry.ino = fuse_ino_t(entry.attr.st_ino)
        entry.attr_timeout = CacheTimeouts.attributes(of: node)
        entry.entry_timeout = CacheTimeouts.stable
        return entry
    }

    /// A cached "no such name": ino 0 with a timeout (an ENOENT error would not be cached).
    static var negativeEntry: fuse_entry_param {
        var entry = fuse_entry_param()
        entry.entry_timeout = CacheTimeouts.stable
        return entry
    }

    /// `.chatfs/status` as it reads right now.
    func statusSnapshot() throws -> [UInt8] {
        Array(try cache.statusText().utf8)
    }

    private func setDirectory(_ attributes: inout stat, linkCount: Int, time: Date) {
        attributes.st_mode = S_IFDIR | 0o555
        attributes.st_nlink = UInt(linkCount)
        setTimes(&attributes, time)
    }

    private func setReadOnlyFile(_ attributes: inout stat, size: Int, time: Date) {
        attributes.st_mode = S_IFREG | 0o444
        attributes.st_nlink = 1
        attributes.st_size = max(size, 0)
        attributes.st_blocks = (attributes.st_size + 511) / 512
        setTimes(&attributes, time)
    }

    private func setTimes(_ attributes: inout stat, _ date: Date) {
        let time = timespec(date)
        attributes.st_atim = time
        attributes.st_mtim = time
        attributes.st_ctim = time
    }
}

extension timespec {
    /// Dates come from the server: one out of range shows as the epoch instead of trapping.
    init(_ date: Date) {
        let interval = date.timeIntervalSince1970
        guard interval.isFinite, abs(interval) < 1e15 else {
            self.init(tv_sec: 0, tv_nsec: 0)
            return
        }
        let seconds = interval.rounded(.down)
        self.init(tv_sec: Int(seconds), tv_nsec: Int((interval - seconds) * 1e9))
    }
}
