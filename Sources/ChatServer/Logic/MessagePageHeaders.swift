/// The pagination headers of a message page (docs/api.md "Messages of one chat"):
/// `X-Total-Count` in every mode; `X-Oldest-Sequence` and `X-Has-More` in cursor, delta and
/// range modes; `X-Newest-Sequence` and `X-Has-Newer` in delta and range modes only.
enum MessagePageHeaders {
    /// - Parameters:
    ///   - sequences: the page's sequence numbers, ascending.
    ///   - totalCount: messages in the whole chat.
    ///   - newestInChat: the chat's highest sequence (nil when it has no message).
    static func make(
        mode: MessageListingMode, sequences: [Int64], totalCount: Int, newestInChat: Int64?
    ) -> [(name: String, value: String)] {
        var headers = [(name: "X-Total-Count", value: String(totalCount))]
        let newerThan: Int64
        switch mode {
        case .offset:
            return headers
        case .cursor:
            headers += olderHeaders(sequences)
            return headers
        case .delta(let since, _):
            newerThan = sequences.last ?? since
        case .range(_, let end):
            newerThan = sequences.last ?? end
        }
        headers += olderHeaders(sequences)
        headers.append((name: "X-Newest-Sequence", value: sequences.last.map { String($0) } ?? ""))
        headers.append((name: "X-Has-Newer", value: flag((newestInChat ?? 0) > newerThan)))
        return headers
    }

    private static func olderHeaders(_ sequences: [Int64]) -> [(name: String, value: String)] {
        [
            (name: "X-Oldest-Sequence", value: sequences.first.map { String($0) } ?? ""),
            (name: "X-Has-More", value: flag((sequences.first ?? 0) > 1)),
        ]
    }

    /// Python's `str(bool).lower()`.
    private static func flag(_ value: Bool) -> String { value ? "true" : "false" }
}
