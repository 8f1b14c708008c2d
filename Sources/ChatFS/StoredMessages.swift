import Locking

/// The message files whose bytes this mount has handed the kernel at their first open
/// (`FuseSession.store`), by message row id: one bit each, so 100,000 messages cost 12 KiB.
///
/// The kernel keeps those pages (`keep_cache`) until memory pressure drops them; a READ
/// then arrives as it would without the push and is answered from the cache, so a stale
/// bit costs nothing but that READ. Row ids are never reused (AUTOINCREMENT), so a bit
/// never stands for another message.
final class StoredMessages: Sendable {
    private let bits = Locked<[UInt64]>([])

    /// Marks `rowID`; true if it was not marked before (the caller pushes the bytes).
    func insert(_ rowID: Int64) -> Bool {
        guard rowID >= 0 else { return false }
        let (word, bit) = (Int(rowID / 64), UInt64(1) << UInt64(rowID % 64))
        return bits.withLock { bits in
            if word >= bits.count { bits.append(contentsOf: repeatElement(0, count: word - bits.count + 1)) }
            guard bits[word] & bit == 0 else { return false }
            bits[word] |= bit
            return true
        }
    }

    /// Unmarks `rowID` (the push failed: the READ path serves it).
    func remove(_ rowID: Int64) {
        guard rowID >= 0 else { return }
        let (word, bit) = (Int(rowID / 64), UInt64(1) << UInt64(rowID % 64))
        bits.withLock { bits in
            if word < bits.count { bits[word] &= ~bit }
        }
    }
}
