import Foundation

/// The outbox's timing. Defaults are what a user gets; tests shorten them.
public struct OutboxConfiguration: Sendable {
    /// A closed file is sent once it was left alone this long (rclone's `--vfs-write-back`):
    /// within it a rewrite, a rename over it or `rm` changes or cancels it ("undo send").
    public var sendDelay: Duration = .seconds(2)
    /// After an unanswered attempt on a server that does not deduplicate, how long the
    /// request may still be committed: the deployed backend waits up to 30 s for a database
    /// connection under load and takes ~2 s to store a message; 45 s leaves a margin. No
    /// second copy is sent before it has passed (see `ResendRule`).
    public var settleWindow: Duration = .seconds(45)
    /// How long a filesystem call (rm, a rewrite, a rename) waits for an attempt in flight
    /// to end before it answers EBUSY.
    public var attemptWait: Duration = .seconds(5)
    /// The clock (tests drive it).
    public var now: @Sendable () -> Date = { Date() }

    public init(sendDelay: Duration = .seconds(2)) {
        self.sendDelay = sendDelay
    }
}
