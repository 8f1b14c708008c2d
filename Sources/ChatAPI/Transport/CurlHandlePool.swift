import CCurl
import Locking

/// A libcurl easy handle. Not thread-safe by itself: the pool hands each handle to one
/// thread at a time (take under the pool's lock, use, give back under the lock), which
/// is what makes passing it between threads sound.
struct CurlEasyHandle: @unchecked Sendable {
    let raw: UnsafeMutableRawPointer
}

/// Idle easy handles kept for reuse: a handle keeps its connections, DNS and TLS
/// session caches, so reusing one keeps connections to the server alive.
final class CurlHandlePool: Sendable {
    private let idle = Locked<[CurlEasyHandle]>([])
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
