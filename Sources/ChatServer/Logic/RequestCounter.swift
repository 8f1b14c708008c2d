import Synchronization

/// How many requests each `METHOD /route/{template}` received (`GET /_test/requests`), so
/// tests can assert the load a client puts on the server.
final class RequestCounter: Sendable {
    private let counts = Mutex<[String: Int]>([:])

    init() {}

    func record(method: String, routeTemplate: String) {
        counts.withLock { $0["\(method) \(routeTemplate)", default: 0] += 1 }
    }

    func snapshot() -> [String: Int] {
        counts.withLock { $0 }
    }
}
