import GRDB

/// Reads of `<chat>/transcript`: the bytes come from the message rows (there is no second
/// copy); a read at offset N starts at the first entry ending after N (an index lookup).
extension ChatCache {
    /// The messages one transcript read fetches per query (a read is at most 128 KiB).
    static let transcriptPage = 64

    /// Up to `count` bytes of the chat's transcript from `offset`; empty past its end or
    /// when the chat is gone. One transaction: sync may append (or restart) meanwhile.
    public func transcriptBytes(chatRowID: Int64, offset: Int64, count: Int) throws -> [UInt8] {
        guard offset >= 0, count > 0 else { return [] }
        return try pool.read { db in
            guard let chat = try Row.fetchOne(
                db.cachedStatement(sql: "SELECT transcriptOrigin, transcriptTotal FROM chat WHERE rowID = ?"),
                arguments: [chatRowID]) else { return [] }
            let origin: Int64 = chat[0]
            let total: Int64 = chat[1]
            let from = origin + offset
            guard from < total else { return [] }
            let wanted = Int(min(Int64(count), total - from))
            let page = try db.cachedStatement(sql: """
                SELECT \(MessageRecord.columns), transcriptEnd FROM message
                WHERE chatRowID = ? AND transcriptEnd > ? ORDER BY transcriptEnd LIMIT ?
                """)
            var bytes: [UInt8] = []
            var position = from
            while bytes.count < wanted {
                let entries = try Row.fetchAll(page, arguments: [chatRowID, position, Self.transcriptPage]).map { row in
                    TranscriptFormat.Entry(end: row["transcriptEnd"], rendered: MessageRecord(row: row).renderedBytes())
                }
                let slice = TranscriptFormat.slice(entries, from: position, count: wanted - bytes.count)
                guard !slice.isEmpty else { break }
                bytes += slice
                position += Int64(slice.count)
            }
            return bytes
        }
    }
}
