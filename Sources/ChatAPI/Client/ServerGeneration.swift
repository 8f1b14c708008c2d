/// Which contract a server speaks (see docs/api.md, the two generations).
public enum ServerGeneration: String, Sendable, Codable {
    /// Delta and range modes, limit up to 500, X-Newest-Sequence, idempotent sends.
    case delta
    /// The deployed backend: cursor and offset modes only, limit up to 200.
    case legacy
}
