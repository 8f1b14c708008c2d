import Dispatch
import Locking
import Testing

/// `Locked` under contention. In every build it must exclude: the threads' additions all
/// arrive. Under ThreadSanitizer (`scripts/sanitize thread`, which fails on any report)
/// it must also show TSan the kernel's hand-over of the contended lock: the same loop on
/// a bare `Mutex` draws four "Swift access race" reports a run (RELIABILITY.md,
/// "Sanitizers"), on `Locked` none.
struct LockedTests {
    @Test func contendedHandOversExcludeAndAreSeenByThreadSanitizer() {
        let threads = 8
        let rounds = 5_000
        let pool = Locked<[Int]>([0])
        DispatchQueue.concurrentPerform(iterations: threads) { _ in
            for _ in 0..<rounds {
                let taken = pool.withLock { $0.popLast() }
                pool.withLock { $0.append((taken ?? 0) + 1) }
            }
        }
        #expect(pool.withLock { $0.reduce(0, +) } == threads * rounds)
    }

    @Test func throwsWhatItsBodyThrowsAndKeepsTheValue() {
        struct Refused: Error {}
        let value = Locked(1)
        #expect(throws: Refused.self) {
            try value.withLock { (number: inout Int) throws(Refused) in
                number = 2
                throw Refused()
            }
        }
        #expect(value.withLock { $0 } == 2)
    }
}
