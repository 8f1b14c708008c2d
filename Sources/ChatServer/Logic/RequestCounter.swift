import Synchronization

/// How many requests each `METHOD /route/{template}` received (`GET /_test/requests`), so
/// tests can assert the load a client puts on the server.
public final class RequestCounter: Sendable {
    private let counts = Mutex<[String: Int]>([:])

    public init() {}

    public func record(method: String, routeTemplate: String) {
        counts.withLock { $0["\(method) \(routeTemplate)", default: 0] += 1 }
    }

    public func snapshot() -> [String: Int] {
        counts.withLock { $0 }
    }
}
