import Locking

/// How many requests each `METHOD /route/{template}` received, and how many of them were
/// answered 304 Not Modified (`GET /_test/requests`), so tests and `scripts/bench` can
/// assert the load a client puts on the server.
final class RequestCounter: Sendable {
    private struct Counts {
        var received: [String: Int] = [:]
        var notModified: [String: Int] = [:]
    }

    private let counts = Locked(Counts())

    init() {}

    func record(method: String, routeTemplate: String) {
        counts.withLock { $0.received["\(method) \(routeTemplate)", default: 0] += 1 }
    }

    func recordNotModified(method: String, routeTemplate: String) {
        counts.withLock { $0.notModified["\(method) \(routeTemplate)", default: 0] += 1 }
    }

    func snapshot() -> (received: [String: Int], notModified: [String: Int]) {
        counts.withLock { ($0.received, $0.notModified) }
    }
}
