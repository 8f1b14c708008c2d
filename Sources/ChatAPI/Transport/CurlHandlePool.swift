import CCurl
import Synchronization

/// A libcurl easy handle. Not thread-safe by itself: the pool hands each handle to one
/// thread at a time (take under the pool's Mutex, use, give back under the Mutex), which
/// is what makes passing it between threads sound.
struct CurlEasyHandle: @unchecked Sendable {
    let raw: UnsafeMutableRawPointer
}

/// Idle easy handles kept for reuse: a handle keeps its connections, DNS and TLS
/// session caches, so reusing one keeps connections to the server alive.
final class CurlHandlePool: Sendable {
    // ThreadSanitizer reports a "Swift access race" on `idle` (take's popLast against
    // another take or giveBack) when many threads share the pool: a false positive, proven
    // in RELIABILITY.md ("Sanitizers", 2026-12-01 night). Every access is inside
    // `idle.withLock`. On Linux, Synchronization's Mutex passes an uncontended lock with
    // atomics TSan sees, but a contended one through FUTEX_LOCK_PI/FUTEX_UNLOCK_PI: the
    // kernel hands the lock to the waiter, and TSan, which does not intercept futex, sees no
    // release/acquire between the two holders. The same code on an NSLock gives no report.
    // `scripts/tsan-suppressions` suppresses reports in this class's methods, nothing else.
    private let idle = Mutex<[CurlEasyHandle]>([])
    private let maxIdleHandles: Int

    /// `curl_global_init` is not thread-safe on every build; a Swift static `let` is
    /// initialized exactly once, under a lock, on first use.
    private static let globalInitResult: CURLcode = chatfs_curl_global_init_default()

    init(maxIdleHandles: Int) {
        self.maxIdleHandles = maxIdleHandles
    }

    deinit {
        for handle in idle.withLock({ $0 }) {
            curl_easy_cleanup(handle.raw)
        }
    }

    /// An idle handle (every option at its default) or a new one.
    func take() throws(TransportError) -> CurlEasyHandle {
        guard Self.globalInitResult == CURLE_OK else {
            throw TransportError(kind: .notSent, curlCode: Int(Self.globalInitResult.rawValue),
                                 message: "libcurl failed to initialize")
        }
        if let handle = idle.withLock({ $0.popLast() }) {
            return handle
        }
        guard let raw = curl_easy_init() else {
            throw TransportError(kind: .notSent, curlCode: 0, message: "curl_easy_init failed")
        }
        return CurlEasyHandle(raw: raw)
    }

    /// Resets every option (dropping pointers into the finished request's buffers) but
    /// keeps the handle's live connections and caches.
    func giveBack(_ handle: CurlEasyHandle) {
        curl_easy_reset(handle.raw)
        let kept = idle.withLock { handles in
            guard handles.count < maxIdleHandles else { return false }
            handles.append(handle)
            return true
        }
        if !kept {
            curl_easy_cleanup(handle.raw)
        }
    }
}
