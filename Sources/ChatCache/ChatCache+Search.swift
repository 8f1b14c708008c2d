import Foundation
import GRDB

/// One message that matched a search: where its file is in the tree, and a snippet.
public struct SearchHit: Sendable, Equatable, Encodable, FetchableRecord {
    /// The message's row (not in the JSON form: row ids are the cache's own).
    public var messageRowID: Int64
    /// The chat's directory name.
    public var chat: String
    public var sequence: Int
    public var sender: String
    public var date: Date
    /// The matched words in context, on one line.
    public var snippet: String

    public var file: String { MessageFormat.fileName(sequence: sequence, sender: sender) }
    /// Relative to the mount point.
    public var path: String { "\(chat)/\(file)" }

    public init(row: Row) {
        messageRowID = row["messageRowID"]
        chat = row["chat"]
        sequence = row["sequence"]
        sender = row["sender"]
        date = Date(timeIntervalSince1970: row["createdAt"])
        snippet = (row["snippet"] as String).split(whereSeparator: \.isNewline).joined(separator: " ")
    }

    private enum CodingKeys: String, CodingKey { case chat, file, path, sequence, sender, date, snippet }

    /// The stable JSON form (`chatfs search --json`): the file and path spelled out.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(chat, forKey: .chat)
        try container.encode(file, forKey: .file)
        try container.encode(path, forKey: .path)
        try container.encode(sequence, forKey: .sequence)
        try container.encode(sender, forKey: .sender)
        try container.encode(date, forKey: .date)
        try container.encode(snippet, forKey: .snippet)
    }
}

public enum SearchError: Error, Equatable, CustomStringConvertible {
    /// The query is not valid FTS5 syntax (only a raw query can be).
    case invalidQuery(String)

    public var description: String {
        switch self {
        case .invalidQuery(let reason): "invalid query: \(reason)"
        }
    }
}

extension ChatCache {
    /// The cached messages matching `query`, oldest first (the newest `query.limit` of them).
    /// Reads the cache only: works offline, mounted or not.
    public func search(_ query: SearchQuery) throws -> [SearchHit] {
        var filters = ""
        var arguments: StatementArguments = [query.highlight.open, query.highlight.close, try matchExpression(query)]
        if let chat = query.chat {
            filters += " AND (chat.dirName = ? OR chat.title = ?)"
            arguments += [chat, chat]
        }
        if let sender = query.sender {
            filters += " AND message.sender = ?"
            arguments += [MessageFormat.senderName(username: sender)]
        }
        if let since = query.since {
            filters += " AND message.createdAt >= ?"
            arguments += [since.timeIntervalSince1970]
        }
        arguments += [query.limit ?? -1]
        // Newest first so that LIMIT keeps the newest; reversed below.
        let sql = """
            SELECT message.rowID AS messageRowID, chat.dirName AS chat, message.sequence, message.sender, message.createdAt,
                snippet(messageText, -1, ?, ?, '…', 12) AS snippet
            FROM messageText
            JOIN message ON message.rowID = messageText.rowid
            JOIN chat ON chat.rowID = message.chatRowID
            WHERE messageText MATCH ?\(filters)
            ORDER BY message.createdAt DESC, message.rowID DESC
            LIMIT ?
            """
        return try readingQuery {
            try pool.read { db in try SearchHit.fetchAll(db.cachedStatement(sql: sql), arguments: arguments) }.reversed()
        }
    }

    /// Whether one message matches `query`'s text (its other filters are not applied).
    public func message(rowID: Int64, matches query: SearchQuery) throws -> Bool {
        try readingQuery {
            try pool.read { db in
                try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM messageText WHERE rowid = ? AND messageText MATCH ?"),
                                  arguments: [rowID, try matchExpression(query)]) ?? false
            }
        }
    }

    /// A query that leaves nothing to look for (`"`, `" "`) is refused like a malformed one.
    private func matchExpression(_ query: SearchQuery) throws -> String {
        guard !query.expression.isEmpty else { throw SearchError.invalidQuery("there is nothing to search for") }
        return query.expression
    }

    private func readingQuery<T>(_ read: () throws -> T) throws -> T {
        do {
            return try read()
        } catch let error as DatabaseError where error.resultCode == .SQLITE_ERROR {
            // The statements are fixed: a plain error can only come from the MATCH expression.
            throw SearchError.invalidQuery(error.message ?? "\(error)")
        }
    }
}
