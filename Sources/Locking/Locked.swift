import CThreadSanitizer
import Synchronization

/// Synchronization's `Mutex`, made visible to ThreadSanitizer. Every lock in chatfs (its
/// tests and the reference server included) is one of these, never a bare `Mutex`.
///
/// Why: on Linux a `Mutex` takes an uncontended lock with atomics TSan sees, but a
/// contended one through FUTEX_LOCK_PI / FUTEX_UNLOCK_PI, where the kernel hands the lock
/// straight to the waiter. TSan does not intercept futex, so it sees no release/acquire
/// between the two holders and reports a "Swift access race" between two accesses that
/// were both under the lock (RELIABILITY.md, "Sanitizers", has the proof; the same code on
/// an NSLock gives no report). Each holder here tells TSan of the edge itself: an acquire on
/// the lock's address right after taking it, a release right before letting it go. A
/// race with an access outside the lock is still reported. Outside a TSan build the two
/// calls check a NULL pointer and return.
///
/// A class, not a `~Copyable` struct: the annotations need an address that stays the
/// lock's for its whole life, which an object has.
public final class Locked<Value>: Sendable {
    private let mutex: Mutex<Value>

    public init(_ initialValue: consuming sending Value) {
        mutex = Mutex(initialValue)
    }

    /// Runs `body` with the value under the lock, as `Mutex.withLock` does.
    public func withLock<Result: ~Copyable, E: Error>(
        _ body: (inout sending Value) throws(E) -> sending Result
    ) throws(E) -> sending Result {
        let address = UnsafeRawPointer(Unmanaged.passUnretained(self).toOpaque())
        return try mutex.withLock { (value: inout sending Value) throws(E) -> sending Result in
            chatfs_tsan_acquire(address)
            defer { chatfs_tsan_release(address) }
            return try body(&value)
        }
    }
}
