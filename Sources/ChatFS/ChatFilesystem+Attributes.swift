import ChatCache
import CFuse
import Foundation

/// `stat` for every node: exact sizes, times from the records, owner = the mounting user.
/// Everything is read-only (0555 / 0444) except outboxes (0755, files 0644), chat
/// directories (0755: the kernel lets `setfattr -n user.chatfs.unread` through only with
/// write permission; creating anything in them still answers EROFS) and attachments (0644
/// for `user.chatfs.pinned`, the same reason; opening one for writing answers EROFS).
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
            // ".", "..", ".chatfs", "unread" and one ".." in each chat directory.
            setDirectory(&attributes, mode: 0o555, linkCount: 4 + (try cache.chats().count), time: listingTime(of: node, else: mountTime))
        case .unreadDirectory:
            setDirectory(&attributes, mode: 0o555, linkCount: 2, time: listingTime(of: node, else: mountTime))
        case .controlDirectory, .searchDirectory, .mediaRoot:
            // The lookup-only directories below `.chatfs` are not counted: walkers never meet them.
            setDirectory(&attributes, mode: 0o555, linkCount: 2, time: mountTime)
        case .searchQueryDirectory:
            setDirectory(&attributes, mode: 0o555, linkCount: 2, time: Date())
        case .chatDirectory(let chat):
            // ".", "..", "outbox" ("media" is a symlink).
            setDirectory(&attributes, mode: 0o755, linkCount: 3, time: listingTime(of: node, else: chat.lastMessageAt ?? chat.createdAt))
        case .mediaDirectory(let chat):
            setDirectory(&attributes, mode: 0o555, linkCount: 2, time: listingTime(of: node, else: chat.createdAt))
        case .outboxDirectory(let chat):
            setDirectory(&attributes, mode: 0o755, linkCount: 2, time: listingTime(of: node, else: chat.createdAt))
        case .statusFile(let format):
            setFile(&attributes, mode: 0o444, size: try statusSnapshot(format).count, time: statusModified.withLock { $0 })
        case .messageFile(let message):
            setFile(&attributes, mode: 0o444, size: message.renderedSize, time: message.createdAt)
        case .mediaFile(let media, _):
            setFile(&attributes, mode: 0o644, size: media.size, time: media.createdAt)
        case .queuesDirectory:
            setDirectory(&attributes, mode: 0o555, linkCount: 2 + QueueDirectory.all.count, time: mountTime)
        case .queueDirectory:
            // Writable so that the kernel lets `mv` between queues through (it takes tickets).
            setDirectory(&attributes, mode: 0o755, linkCount: 2, time: mountTime)
        case .queueEntry(_, let chat), .unreadEntry(let chat):
            setSymlink(&attributes, node, time: chat.lastMessageAt ?? chat.createdAt)
        case .mediaLink(let chat):
            setSymlink(&attributes, node, time: chat.createdAt)
        case .searchResult(let link):
            setSymlink(&attributes, node, time: link.date)
        case .transcriptLink(let chat):
            setSymlink(&attributes, node, time: chat.lastMessageAt ?? chat.createdAt)
        case .transcriptsDirectory:
            // Lists nothing: transcripts are reached through their chats' `transcript` links.
            setDirectory(&attributes, mode: 0o555, linkCount: 2, time: mountTime)
        case .transcriptFile(let chat):
            // `tail -f` and `less +F` stat it about once a second: a follower keeps its chat
            // (and the mount) in use, so new messages show within one short poll.
            sync.noteAccess(chatRowID: chat.rowID)
            setFile(&attributes, mode: 0o444, size: Int(chat.transcriptSize), time: chat.lastMessageAt ?? chat.createdAt)
        case .eventsFile:
            setFile(&attributes, mode: 0o444, size: 0, time: mountTime)
        case .outboxFile(let item, _):
            // A failed or refused file is read-only: rename it back to retry, or remove it.
            setFile(&attributes, mode: item.state == .failed || item.state == .refused ? 0o444 : mode_t(item.mode & 0o777),
                    size: outboxBuffers.openSize(rowID: item.rowID) ?? item.size, time: item.modifiedAt)
        }
        return attributes
    }

    /// The reply to a lookup (or a readdirplus entry) that found `node`.
    func entry(for node: Node) throws -> fuse_entry_param {
        var entry = fuse_entry_param()
        entry.attr = try attributes(of: node)
        entry.ino = fuse_ino_t(entry.attr.st_ino)
        entry.attr_timeout = CacheTimeouts.attributes(of: node)
        entry.entry_timeout = CacheTimeouts.entry(of: node)
        return entry
    }

    /// A cached "no such name": ino 0 with a timeout (an ENOENT error would not be cached).
    static func negativeEntry(in parent: InodeNumber?) -> fuse_entry_param {
        var entry = fuse_entry_param()
        entry.entry_timeout = CacheTimeouts.absentName(in: parent)
        return entry
    }

    /// `.chatfs/status` (or `status.json`) as it reads right now.
    func statusSnapshot(_ format: StatusFormat) throws -> [UInt8] {
        switch format {
        case .text: Array(try cache.statusText(width: StatusFormat.textWidth).utf8)
        case .json: Array(try cache.status().json())
        }
    }

    /// A kept listing's mtime: when this mount last changed it, else the directory's own time.
    private func listingTime(of directory: Node, else ownTime: Date) -> Date {
        listingClock.modified(directory.inodeNumber) ?? ownTime
    }

    private func setDirectory(_ attributes: inout stat, mode: mode_t, linkCount: Int, time: Date) {
        attributes.st_mode = S_IFDIR | mode
        attributes.st_nlink = UInt(linkCount)
        setTimes(&attributes, time)
    }

    private func setSymlink(_ attributes: inout stat, _ node: Node, time: Date) {
        attributes.st_mode = S_IFLNK | 0o777
        attributes.st_nlink = 1
        attributes.st_size = off_t(node.linkTarget?.utf8.count ?? 0)
        setTimes(&attributes, time)
    }

    private func setFile(_ attributes: inout stat, mode: mode_t, size: Int, time: Date) {
        attributes.st_mode = S_IFREG | mode
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
