import Foundation
import GRDB

/// One message that matched a search: where its file is in the tree, and a snippet.
public struct SearchHit: Sendable, Equatable, Encodable, FetchableRecord {
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
        var arguments: StatementArguments = [query.highlight.open, query.highlight.close, query.expression]
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
            SELECT chat.dirName AS chat, message.sequence, message.sender, message.createdAt,
                snippet(messageText, -1, ?, ?, '…', 12) AS snippet
            FROM messageText
            JOIN message ON message.rowID = messageText.rowid
            JOIN chat ON chat.rowID = message.chatRowID
            WHERE messageText MATCH ?\(filters)
            ORDER BY message.createdAt DESC, message.rowID DESC
            LIMIT ?
            """
        do {
            return try pool.read { db in try SearchHit.fetchAll(db.cachedStatement(sql: sql), arguments: arguments) }.reversed()
        } catch let error as DatabaseError where error.resultCode == .SQLITE_ERROR {
            // The statement is fixed: a plain error can only come from the MATCH expression.
            throw SearchError.invalidQuery(error.message ?? "\(error)")
        }
    }
}
