/// How often and how much sync asks the server.
public struct SyncConfiguration: Sendable {
    /// Chat-list poll period while the mount is in use.
    public var pollInterval: Duration = .seconds(5)
    /// Poll period once nobody has touched the mount for `idleAfter` (spares the backend).
    public var idlePollInterval: Duration = .seconds(60)
    /// Short, because any use ends an idle period at once (the lists are fetched then), so
    /// a long in-use tail buys no freshness: 1 idle minute at 5 s, then 59 at 60 s, is
    /// ~71 requests in the first idle hour (~83 for a technician's two calls), 60 an hour
    /// after (issue 9, P11: ≤ 100 and ≤ 60).
    public var idleAfter: Duration = .seconds(60)
    /// A chat visited within this window is kept fresh by delta sync and backfilled.
    public var recentUseWindow: Duration = .seconds(1800)
    /// After this the cached history of a chat is fetched again from scratch.
    public var historyTTL: Duration = .seconds(7 * 24 * 3600)
    /// More holes than this since the last full sync: fetch the history again.
    public var maxGapsBeforeResync = 10

    public init() {}
}
