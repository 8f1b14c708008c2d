import Foundation

/// Which messages of a chat to fetch.
public enum MessageQuery: Sendable, Equatable {
    /// The newest `limit` messages (cursor mode without `before_sequence`; both generations).
    case newest(limit: Int)
    /// The newest `limit` messages below `sequence` (cursor mode; both generations).
    case before(sequence: Int, limit: Int)
    /// Messages above `sequence`, oldest first, at most `limit` (delta servers only).
    case since(sequence: Int, limit: Int)
    /// Messages with `from <= sequence <= through` (delta servers only; gap filling).
    case range(from: Int, through: Int)

    /// The query parameters (snake_case). `limit` always goes with `before_sequence`:
    /// the deployed backend ignores `before_sequence` without it.
    var parameters: [(name: String, value: String)] {
        let numbers: [(String, Int)] = switch self {
        case .newest(let limit): [("limit", limit)]
        case .before(let sequence, let limit): [("before_sequence", sequence), ("limit", limit)]
        case .since(let sequence, let limit): [("since_sequence", sequence), ("limit", limit)]
        case .range(let from, let through): [("start_sequence", from), ("end_sequence", through)]
        }
        return numbers.map { (name: $0.0, value: String($0.1)) }
    }
}

/// One page of messages and what the response headers said about the rest.
public struct MessagePage: Sendable {
    /// Ascending by `sequenceNumber`.
    public var messages: [ChatMessage]
    /// `X-Total-Count`: messages in the chat.
    public var totalCount: Int?
    /// `X-Oldest-Sequence`: the oldest on this page (nil when the page is empty).
    public var oldestSequence: Int?
    /// `X-Has-More`: older messages exist below this page.
    public var hasMore: Bool?
    /// `X-Newest-Sequence` (delta servers, delta and range modes).
    public var newestSequence: Int?
    /// `X-Has-Newer`: newer messages exist above this page (delta servers).
    public var hasNewer: Bool?

    public init(messages: [ChatMessage], totalCount: Int? = nil, oldestSequence: Int? = nil,
                hasMore: Bool? = nil, newestSequence: Int? = nil, hasNewer: Bool? = nil) {
        self.messages = messages
        self.totalCount = totalCount
        self.oldestSequence = oldestSequence
        self.hasMore = hasMore
        self.newestSequence = newestSequence
        self.hasNewer = hasNewer
    }

    /// Reads the paging headers; a missing, empty or garbled header gives nil.
    init(messages: [ChatMessage], headers response: HTTPResponse) {
        func integer(_ name: String) -> Int? {
            response.header(name).flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        }
        func flag(_ name: String) -> Bool? {
            switch response.header(name)?.trimmingCharacters(in: .whitespaces).lowercased() {
            case "true", "1": true
            case "false", "0": false
            default: nil
            }
        }
        self.init(messages: messages.sorted { $0.sequenceNumber < $1.sequenceNumber },
                  totalCount: integer("x-total-count"), oldestSequence: integer("x-oldest-sequence"),
                  hasMore: flag("x-has-more"), newestSequence: integer("x-newest-sequence"),
                  hasNewer: flag("x-has-newer"))
    }
}
