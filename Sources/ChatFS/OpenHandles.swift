import ChatCache
import Locking
import Synchronization

/// State kept per open file or directory, keyed by the `fh` handed to the kernel. Message
/// files need none (fh 0); what needs a handle is what must not change under a reader.
final class OpenHandles: Sendable {
    enum Contents: Sendable {
        /// `.chatfs/status` as it read at open: a reader sees one consistent text.
        case statusSnapshot([UInt8])
        /// The chats of the root (or of a queue, or `unread/`) as they were at opendir (the
        /// root and `unread/`: at the readdir from offset 0):
        /// offsets index into it, so a listing neither skips nor repeats chats when the
        /// list changes meanwhile.
        case rootListing([ChatRecord])
        /// The matches of a query as they were at opendir, listed by position.
        case searchListing([SearchResultLink])
        /// An attachment's blob, open (ChatFilesystem+Media).
        case media(OpenMedia)
    }

    private let table = Locked<[UInt64: Contents]>([:])
    /// 0 means "no handle", so numbering starts at 1.
    private let lastHandle = Atomic<UInt64>(0)

    func open(_ contents: Contents) -> UInt64 {
        let handle = lastHandle.add(1, ordering: .relaxed).newValue
        table.withLock { $0[handle] = contents }
        return handle
    }

    /// Replaces what an open handle holds (a listing taken again when read from the start).
    func replace(_ handle: UInt64, with contents: Contents) {
        table.withLock { table in
            if table[handle] != nil { table[handle] = contents }
        }
    }

    func contents(of handle: UInt64) -> Contents? {
        table.withLock { $0[handle] }
    }

    func close(_ handle: UInt64) {
        _ = table.withLock { $0.removeValue(forKey: handle) }
    }
}
