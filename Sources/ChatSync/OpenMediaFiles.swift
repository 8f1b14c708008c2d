import Locking

/// Attachments open in the tree right now: they are never evicted. Opening and evicting
/// take the same lock, so an eviction never removes a blob an open has just been given.
final class OpenMediaFiles: Sendable {
    private let counts = Locked<[Int64: Int]>([:])

    func open(_ mediaRowID: Int64) {
        counts.withLock { $0[mediaRowID, default: 0] += 1 }
    }

    func close(_ mediaRowID: Int64) {
        counts.withLock { counts in
            guard let count = counts[mediaRowID] else { return }
            counts[mediaRowID] = count > 1 ? count - 1 : nil
        }
    }

    func isOpen(_ mediaRowID: Int64) -> Bool {
        counts.withLock { $0[mediaRowID] != nil }
    }

    /// Runs `evict` unless the attachment is open, holding the lock meanwhile (no open can
    /// start until it is done). Returns whether it ran.
    func evictUnlessOpen(_ mediaRowID: Int64, _ evict: () throws -> Void) throws -> Bool {
        try counts.withLock { counts in
            guard counts[mediaRowID] == nil else { return false }
            try evict()
            return true
        }
    }
}
