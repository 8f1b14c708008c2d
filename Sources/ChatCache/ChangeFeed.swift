import Locking

/// Where change events go: the handlers the filesystem registered. Shared by the poller,
/// first visits and the outbox sender (one feed per mount).
public final class ChangeFeed: Sendable {
    public init() {}

    private let handlers = Locked<[@Sendable (ChangeEvent) -> Void]>([])

    public func subscribe(_ handler: @escaping @Sendable (ChangeEvent) -> Void) {
        handlers.withLock { $0.append(handler) }
    }

    /// Runs every handler on the calling thread.
    public func publish(_ event: ChangeEvent) {
        for handler in handlers.withLock({ $0 }) { handler(event) }
    }
}
