import CFuse
import Foundation

/// The session-wide answers: capabilities at init, and statfs.
extension ChatFilesystem {
    /// Readdirplus always (not "auto"): an `ls -l` then needs no LOOKUP at all, and plain
    /// `ls` pays only the attributes of rows it reads anyway. Asynchronous reads; the
    /// kernel's own (largest) readahead is kept. O_TRUNC arrives in open's flags (so a
    /// truncating open of an outbox file is one request that knows it writes). No writeback
    /// cache: outbox writes must reach the buffer before close() commits it.
    func initialize(_ connection: inout fuse_conn_info) {
        let wanted = UInt32(FUSE_CAP_READDIRPLUS | FUSE_CAP_ASYNC_READ | FUSE_CAP_PARALLEL_DIROPS | FUSE_CAP_ATOMIC_O_TRUNC)
        connection.want |= wanted & connection.capable
        connection.want &= ~UInt32(FUSE_CAP_READDIRPLUS_AUTO | FUSE_CAP_WRITEBACK_CACHE)
        logger.debug("FUSE connection: protocol \(connection.proto_major).\(connection.proto_minor), want 0x\(String(connection.want, radix: 16)), max_readahead \(connection.max_readahead)")
    }

    /// The numbers of the disk that holds the cache, so `df` shows how much room it has.
    func statfs() throws -> FuseReply {
        var statistics = statvfs()
        guard statvfs(cache.directory.path, &statistics) == 0 else { throw FuseError(errno) }
        statistics.f_namemax = 255
        return .statfs(statistics)
    }
}
