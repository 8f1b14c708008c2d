import GRDB

extension ChatStore {
    /// A chat `bulkChats` creates: its title (sequence 1) and how many messages it holds in all.
    struct BulkChat: Sendable {
        var title: String
        var messageCount: Int
    }

    /// Creates `chats` for `requester` in one transaction (the benchmark's data set, see
    /// `scripts/bench`): after the title, messages alternate between `replier` and the
    /// requester, one second apart and ending now, each a line of the demo's vocabulary
    /// numbered with its sequence. Returns the new chats' ids, in order.
    func bulkChats(
        _ chats: [BulkChat], requesterID: String, replierID: String?, businessUnitID: Int64?,
        now: ServerTimestamp = .now()
    ) async throws -> [String] {
        try await database.write { db in
            try chats.map { chat in
                let second: Int64 = 1_000_000
                let start = ServerTimestamp(microseconds: now.microseconds - Int64(chat.messageCount) * second)
                let ticket = TicketRecord(
                    id: Self.newID(), title: chat.title, requesterID: requesterID, businessUnitID: businessUnitID,
                    createdAt: start)
                try Self.createChat(db, ticket, titleMessageID: Self.newID())
                for sequence in stride(from: 2, through: chat.messageCount, by: 1) {
                    let fromRequester = sequence.isMultiple(of: 2)
                    let lines = fromRequester ? DemoBuilder.requesterLines : DemoBuilder.technicianLines
                    let time = ServerTimestamp(microseconds: start.microseconds + Int64(sequence) * second)
                    _ = try Self.insertMessage(
                        db, id: Self.newID(), requestID: ticket.id, senderID: fromRequester ? requesterID : replierID,
                        content: "\(lines[sequence % lines.count]) (#\(sequence))", createdAt: time)
                }
                var finished = ticket
                finished.updatedAt = now
                try finished.update(db)
                return ticket.id
            }
        }
    }
}
