/// The offsets ("cookies") that `readdir` hands to the kernel and gets back to resume a
/// listing. A directory lists its fixed entries first (".", "..", then e.g. "media" and
/// "outbox"), then its keyed entries in ascending key order: a chat directory keys
/// messages by sequence, the root keys chats by position in the listing's snapshot.
///
/// Fixed entry `i` ends at offset `i + 1`; the keyed entry with key `k` (k >= 1) ends at
/// `fixedEntryCount + k`. Resuming from offset `o` therefore needs no state: it is either
/// "fixed entry o" or "keys after o - fixedEntryCount", which for messages is exactly
/// the `afterSequence` of the cache query.
struct DirectoryCookie: Sendable {
    let fixedEntryCount: Int

    enum Position: Equatable {
        /// Continue with the fixed entry at this index, then all keyed entries.
        case fixedEntry(index: Int)
        /// Continue with the keyed entries whose key is greater than this.
        case keyedEntries(afterKey: Int)
    }

    func position(resumingAt offset: Int64) -> Position {
        if offset < Int64(fixedEntryCount) {
            return .fixedEntry(index: Int(max(offset, 0)))
        }
        return .keyedEntries(afterKey: Int(offset - Int64(fixedEntryCount)))
    }

    func offset(afterFixedEntry index: Int) -> Int64 {
        Int64(index + 1)
    }

    /// Nil when the key is not positive or its offset would not fit in an `off_t`; such an
    /// entry cannot be listed (a sequence that large is malformed data, not a real chat).
    func offset(afterKey key: Int) -> Int64? {
        guard key >= 1 else { return nil }
        let (offset, overflow) = Int64(key).addingReportingOverflow(Int64(fixedEntryCount))
        return overflow ? nil : offset
    }
}
