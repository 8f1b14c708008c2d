/// Which backend the server impersonates (docs/api.md "Two server generations").
public enum ServerGeneration: String, Sendable, CaseIterable {
    /// The design documents' contract: delta and range modes, extra headers, idempotent sends.
    case delta
    /// The deployed backend: cursor and offset modes only, no send deduplication.
    case legacy

    /// Upper bound of the `limit` query parameter of the message list.
    var maximumPageLimit: Int {
        switch self {
        case .delta: 500
        case .legacy: 200
        }
    }
}
