import Locking

/// Fixed one-minute windows of sends per source IP, like the backend's slowapi limit: the
/// window opens with the first send and every attempt inside it counts, refused ones too.
final class SendRateLimiter: Sendable {
    let limitPerWindow: Int
    let windowMicroseconds: Int64

    private struct Window {
        var openedAt: Int64
        var count: Int
    }

    private let windows = Locked<[String: Window]>([:])

    /// - Parameter limitPerWindow: sends allowed per window; 0 disables limiting.
    init(limitPerWindow: Int, windowSeconds: Int64 = 60) {
        self.limitPerWindow = limitPerWindow
        self.windowMicroseconds = windowSeconds * 1_000_000
    }

    /// Counts one send from `client` at `now`; false when it exceeds the limit.
    func admit(client: String, now: ServerTimestamp = .now()) -> Bool {
        guard limitPerWindow > 0 else { return true }
        let time = now.microseconds
        return windows.withLock { windows in
            // Forget expired windows so the table cannot grow without bound.
            if windows.count > 10_000 {
                windows = windows.filter { time - $0.value.openedAt < windowMicroseconds }
            }
            var window = windows[client] ?? Window(openedAt: time, count: 0)
            if time - window.openedAt >= windowMicroseconds {
                window = Window(openedAt: time, count: 0)
            }
            window.count += 1
            windows[client] = window
            return window.count <= limitPerWindow
        }
    }

    /// The `error` of the 429 answer (injected 429s use the deployed default when the
    /// limit is disabled).
    var exceededMessage: String {
        "Rate limit exceeded: \(limitPerWindow > 0 ? limitPerWindow : 30) per 1 minute"
    }
}
