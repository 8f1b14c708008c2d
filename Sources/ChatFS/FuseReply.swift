import CFuse
import Foundation

/// An errno a handler answers with (ENOENT, EROFS, ...).
struct FuseError: Error {
    let code: Int32
    init(_ code: Int32) { self.code = code }
}

/// What a handler answers. Handlers return one of these and `ChatFilesystem.serve` sends
/// it, so every request gets exactly one reply, errors included (`.deferred`: the one
/// reply is sent by whoever took the request over).
enum FuseReply {
    case error(Int32)
    case entry(fuse_entry_param)
    case attributes(stat, timeout: Double)
    case open(fuse_file_info)
    /// A file made by `create`, opened with this handle.
    case created(fuse_entry_param, fuse_file_info)
    /// The count a write stored.
    case written(Int)
    /// File data, a readdir buffer, an xattr value or name list.
    case bytes([UInt8])
    /// The answer to an xattr size probe (a request with size 0).
    case extendedAttributeSize(Int)
    case statfs(statvfs)
    /// A symlink's target.
    case link(String)
    /// The answer to a poll: the events ready (POLLIN...).
    case poll(UInt32)
    /// No reply now: the request was kept and is (or already was) answered from another
    /// thread (a read of `.chatfs/events` waiting for an event, see `EventReader`).
    case deferred

    func send(to request: fuse_req_t) {
        switch self {
        case .error(let code):
            fuse_reply_err(request, code)
        case .entry(var entry):
            fuse_reply_entry(request, &entry)
        case .attributes(var attributes, let timeout):
            fuse_reply_attr(request, &attributes, timeout)
        case .open(var info):
            fuse_reply_open(request, &info)
        case .created(var entry, var info):
            fuse_reply_create(request, &entry, &info)
        case .written(let count):
            fuse_reply_write(request, count)
        case .bytes(let bytes):
            bytes.withUnsafeBufferPointer { buffer in
                _ = buffer.withMemoryRebound(to: CChar.self) { fuse_reply_buf(request, $0.baseAddress, $0.count) }
            }
        case .extendedAttributeSize(let size):
            fuse_reply_xattr(request, size)
        case .statfs(var statistics):
            fuse_reply_statfs(request, &statistics)
        case .link(let target):
            fuse_reply_readlink(request, target)
        case .poll(let revents):
            fuse_reply_poll(request, revents)
        case .deferred:
            break
        }
    }
}
