import CFuse

/// One readdir / readdirplus reply being filled: entries are added until the kernel's
/// buffer is full; the caller then replies with what fits and resumes at the last offset.
struct DirectoryBuffer {
    let request: fuse_req_t
    let withAttributes: Bool  // readdirplus
    private(set) var bytes: [UInt8]
    private var used = 0

    /// The kernel asks for a page or a few; more is never useful and bounds memory.
    static let maximumSize = 1 << 20

    /// Typical sizes of one entry with a 16-byte name (fuse_dirent is 24 bytes + name,
    /// fuse_direntplus adds a 128-byte fuse_entry_out): how many rows one page needs.
    private static let typicalEntrySize = 40
    private static let typicalEntryWithAttributesSize = 168

    init(request: fuse_req_t, size: Int, withAttributes: Bool) {
        self.request = request
        self.withAttributes = withAttributes
        bytes = [UInt8](repeating: 0, count: min(max(size, 0), Self.maximumSize))
    }

    /// About how many entries fit: the number of rows worth fetching for one reply.
    var estimatedCapacity: Int {
        bytes.count / (withAttributes ? Self.typicalEntryWithAttributesSize : Self.typicalEntrySize) + 1
    }

    /// The reply: the entries added so far (empty means the end of the directory).
    var reply: FuseReply {
        .bytes(Array(bytes[..<used]))
    }

    /// Adds an entry that resumes at `nextOffset`; false (and nothing added) when it does
    /// not fit. For readdirplus, `entry` is a full lookup reply (it counts as a lookup)
    /// or, for `.` and `..`, ino 0 with only st_ino and the type set.
    mutating func add(name: String, entry: fuse_entry_param, nextOffset: Int64) -> Bool {
        var entry = entry
        let room = bytes.count - used
        guard room > 0 else { return false }
        let needed = bytes.withUnsafeMutableBytes { raw in
            name.withCString { cName in
                let destination = raw.baseAddress!.advanced(by: used).assumingMemoryBound(to: CChar.self)
                return withAttributes
                    ? fuse_add_direntry_plus(request, destination, room, cName, &entry, off_t(nextOffset))
                    : fuse_add_direntry(request, destination, room, cName, &entry.attr, off_t(nextOffset))
            }
        }
        guard needed <= room else { return false }
        used += needed
        return true
    }
}
