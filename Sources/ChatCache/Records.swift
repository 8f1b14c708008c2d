import Foundation
import GRDB

/// A chat (a Support Center request) as the tree shows it: one directory.
public struct ChatRecord: Sendable, Equatable, FetchableRecord {
    public var rowID: Int64
    /// The server's request id (UUID).
    public var id: String
    public var title: String
    /// The directory name: safe, unique and stable (see `DirectoryNames`).
    public var dirName: String
    public var createdAt: Date
    public var lastMessageAt: Date?
    public var unreadCount: Int
    public var status: String?
    /// The newest sequence the server reported in its chat list.
    public var serverLastSequence: Int
    /// The byte count of `<chat>/transcript` (see `TranscriptFormat`).
    public var transcriptSize: Int64

    static let columns =
        "rowID, id, title, dirName, createdAt, lastMessageAt, unreadCount, status, serverLastSequence, transcriptTotal - transcriptOrigin AS transcriptSize"

    /// Decoded by column name: a query may select `columns` in any order or add to it.
    public init(row: Row) {
        rowID = row["rowID"]
        id = row["id"]
        title = row["title"]
        dirName = row["dirName"]
        createdAt = Date(timeIntervalSince1970: row["createdAt"])
        lastMessageAt = (row["lastMessageAt"] as Double?).map(Date.init(timeIntervalSince1970:))
        unreadCount = row["unreadCount"]
        status = row["status"]
        serverLastSequence = row["serverLastSequence"]
        transcriptSize = row["transcriptSize"]
    }
}

/// One message: one file in its chat's directory.
public struct MessageRecord: Sendable, Equatable, FetchableRecord {
    public var rowID: Int64
    public var chatRowID: Int64
    public var sequence: Int
    /// The server's message id (UUID).
    public var id: String
    /// The sender in file-name form: a sanitized username, or "system".
    public var sender: String
    public var senderFullName: String?
    public var createdAt: Date
    /// The text users read (already HTML-unescaped).
    public var body: String
    public var clientTempID: String?
    /// The byte count of `renderedBytes()`, stored when the message was stored so that
    /// `ls -l` renders nothing.
    public var renderedSize: Int

    public var fileName: String { MessageFormat.fileName(sequence: sequence, sender: sender) }

    public func renderedBytes() -> [UInt8] {
        MessageFormat.render(
            sequence: sequence, id: id, sender: sender, senderFullName: senderFullName,
            createdAt: createdAt, body: body)
    }

    static let columns =
        "rowID, chatRowID, sequence, id, sender, senderFullName, createdAt, body, clientTempID, renderedSize"

    /// Decoded by column name, as `ChatRecord`.
    public init(row: Row) {
        rowID = row["rowID"]
        chatRowID = row["chatRowID"]
        sequence = row["sequence"]
        id = row["id"]
        sender = row["sender"]
        senderFullName = row["senderFullName"]
        createdAt = Date(timeIntervalSince1970: row["createdAt"])
        body = row["body"]
        clientTempID = row["clientTempID"]
        renderedSize = row["renderedSize"]
    }
}
