import Foundation

/// What `chatfs search` asks the full-text index (`messageText`, see `CacheSchema`).
public struct SearchQuery: Sendable {
    /// As the user typed it: words (all must match, in any order), "quoted phrases" and
    /// `prefix*` words; anything else is taken literally. With `raw`, FTS5 query syntax.
    public var text: String
    public var raw: Bool
    /// A chat's directory name (or its title).
    public var chat: String?
    /// A sender as in message file names (a username; made file-name safe like them).
    public var sender: String?
    public var since: Date?
    /// The newest `limit` matches are returned (nil: all).
    public var limit: Int?
    /// What the snippet puts around matched words.
    public var highlight: (open: String, close: String)

    public init(text: String, raw: Bool = false, chat: String? = nil, sender: String? = nil, since: Date? = nil,
                limit: Int? = nil, highlight: (open: String, close: String) = ("[", "]")) {
        self.text = text
        self.raw = raw
        self.chat = chat
        self.sender = sender
        self.since = since
        self.limit = limit
        self.highlight = highlight
    }

    /// The FTS5 expression. Plain text becomes a conjunction of quoted strings, so that
    /// punctuation (`don't`, `C++`, `a:b`, `-x`, `AND`) is never read as query syntax.
    public var expression: String {
        raw ? text : Self.quoted(text)
    }

    static func quoted(_ text: String) -> String {
        var terms: [String] = []
        // Odd pieces are inside double quotes (a phrase); an unclosed quote runs to the end.
        for (index, piece) in text.split(separator: "\"", omittingEmptySubsequences: false).enumerated() {
            if index % 2 == 1 {
                if !piece.allSatisfy(\.isWhitespace) { terms.append("\"\(piece)\"") }
                continue
            }
            for word in piece.split(whereSeparator: \.isWhitespace) {
                let isPrefix = word.count > 1 && word.hasSuffix("*")
                terms.append(isPrefix ? "\"\(word.dropLast())\"*" : "\"\(word)\"")
            }
        }
        return terms.joined(separator: " ")
    }
}
