import Foundation
import GRDB

/// A chat (a Support Center request) as the tree shows it: one directory.
public struct ChatRecord: Sendable, Equatable {
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
        "rowID, id, title, dirName, createdAt, lastMessageAt, unreadCount, status, serverLastSequence, transcriptTotal - transcriptOrigin"

    init(row: Row) {
        rowID = row[0]
        id = row[1]
        title = row[2]
        dirName = row[3]
        createdAt = Date(timeIntervalSince1970: row[4])
        lastMessageAt = (row[5] as Double?).map(Date.init(timeIntervalSince1970:))
        unreadCount = row[6]
        status = row[7]
        serverLastSequence = row[8]
        transcriptSize = row[9]
    }
}

/// One message: one file in its chat's directory.
public struct MessageRecord: Sendable, Equatable {
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

    init(row: Row) {
        rowID = row[0]
        chatRowID = row[1]
        sequence = row[2]
        id = row[3]
        sender = row[4]
        senderFullName = row[5]
        createdAt = Date(timeIntervalSince1970: row[6])
        body = row[7]
        clientTempID = row[8]
        renderedSize = row[9]
    }
}
