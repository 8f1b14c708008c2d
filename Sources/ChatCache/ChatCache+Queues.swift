import Foundation
import GRDB

/// One technician queue view as last seen: its size, and whether (and when) its members
/// were fetched.
public struct QueueViewRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "queueView"
    public static let databaseDateDecodingStrategy = DatabaseDateDecodingStrategy.timeIntervalSince1970
    public static let databaseDateEncodingStrategy = DatabaseDateEncodingStrategy.timeIntervalSince1970

    /// The API's name (`all_unsolved`).
    public var view: String
    public var count: Int
    public var membersFetchedAt: Date?
    /// `count` when the members were fetched.
    public var membersCount: Int?
}

/// The members fetched for some views in one refresh: view → chat ids in the server's order.
public typealias QueueMembers = [String: [String]]

/// How a queue view is named in the tree and in status: the API's name with hyphens
/// (`all_unsolved` → `all-unsolved`), which reads and tab-completes better in a shell.
public enum QueueNames {
    public static func directoryName(forView view: String) -> String {
        view.replacingOccurrences(of: "_", with: "-")
    }
}

/// A technician's queues: the counts every views answer carries, and the members of the
/// views fetched (see docs/design.md "Technicians").
extension ChatCache {
    /// Stores the counts of every view and replaces the members of the views in `members`,
    /// in one transaction. Returns the views whose count or members changed.
    public func applyQueues(counts: [String: Int], members: QueueMembers, now: Date = Date()) throws -> Set<String> {
        try pool.write { db in
            var changed: Set<String> = []
            for (view, count) in counts {
                var record = try QueueViewRecord.fetchOne(db, key: view)
                    ?? QueueViewRecord(view: view, count: count, membersFetchedAt: nil, membersCount: nil)
                if record.count != count { changed.insert(view) }
                record.count = count
                if let chatIDs = members[view] {
                    let old = try String.fetchAll(db, sql: "SELECT chatID FROM queueMember WHERE view = ? ORDER BY position",
                                                  arguments: [view])
                    if old != chatIDs {
                        changed.insert(view)
                        try db.execute(sql: "DELETE FROM queueMember WHERE view = ?", arguments: [view])
                        for (position, chatID) in chatIDs.enumerated() {
                            try db.execute(sql: "INSERT OR IGNORE INTO queueMember (view, chatID, position) VALUES (?, ?, ?)",
                                           arguments: [view, chatID, position])
                        }
                    }
                    record.membersFetchedAt = now
                    record.membersCount = count
                }
                try record.save(db)
            }
            return changed
        }
    }

    public func queueViews() throws -> [QueueViewRecord] {
        try pool.read { db in try QueueViewRecord.fetchAll(db) }
    }

    public func queueView(_ view: String) throws -> QueueViewRecord? {
        try pool.read { db in try QueueViewRecord.fetchOne(db, key: view) }
    }

    /// The chats of a view whose members were fetched, in the server's order.
    public func queueMembers(_ view: String) throws -> [ChatRecord] {
        try pool.unsafeRead { db in
            // The join in a subquery, so that `ChatRecord.columns` names the chat's columns
            // unqualified (no name of `queueMember` can make them ambiguous).
            try ChatRecord.fetchAll(db.cachedStatement(sql: """
                SELECT \(ChatRecord.columns) FROM (
                    SELECT chat.*, queueMember.position AS memberPosition
                    FROM queueMember JOIN chat ON chat.id = queueMember.chatID WHERE queueMember.view = ?)
                ORDER BY memberPosition
                """), arguments: [view])
        }
    }

    /// The chat ids that are members of a view whose members are stored, leaving out the
    /// views in `excluding` (about to be replaced).
    public func queueMemberChatIDs(excluding: Set<String>) throws -> Set<String> {
        try pool.read { db in
            Set(try Row.fetchAll(db, sql: "SELECT view, chatID FROM queueMember").compactMap { row -> String? in
                excluding.contains(row["view"]) ? nil : row["chatID"]
            })
        }
    }

    public func isQueueMember(_ view: String, chatID: String) throws -> Bool {
        try pool.unsafeRead { db in
            try Bool.fetchOne(db.cachedStatement(sql: "SELECT EXISTS(SELECT 1 FROM queueMember WHERE view = ? AND chatID = ?)"),
                              arguments: [view, chatID]) ?? false
        }
    }

    /// What a technician triages the chat by; nil when no queue view listed it.
    public func triage(chatRowID: Int64) throws -> ChatTriage? {
        try pool.read { db in try Self.triage(chatRowID: chatRowID, db) }
    }

    /// The chat's status when the server counts it as solved (it takes no more messages);
    /// nil for an open chat.
    public static func solvedStatus(chatID: String, _ db: Database) throws -> String? {
        guard let row = try Row.fetchOne(db, sql: "SELECT countAsSolved, status FROM chat WHERE id = ?", arguments: [chatID]),
              row["countAsSolved"] as Bool else { return nil }
        return row["status"] as String? ?? "solved"
    }
}
