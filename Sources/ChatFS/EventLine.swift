import ChatCache
import ChatOutbox
import Foundation

/// One line of `.chatfs/events`: a JSON object, keys sorted, fields as in README "Events".
/// Built from the `ChangeEvent`s sync and the outbox publish; events users do not care
/// about (history backfill, status, invalidation-only changes) make no line.
struct EventLine: Encodable, Equatable {
    var event: String
    var chat: String?
    var chatID: String?
    var old: String?
    var sequence: Int?
    var sender: String?
    var file: String?
    var path: String?
    var reason: String?

    enum CodingKeys: String, CodingKey {
        case event, chat, chatID = "chat_id", old, sequence, sender, file, path, reason
    }

    /// A chat's directory name and server id, for a chat row id (nil when it is gone).
    typealias ChatLookup = (Int64) throws -> (dirName: String, id: String)?

    static func lines(for event: ChangeEvent, chat: ChatLookup) throws -> [EventLine] {
        switch event {
        case .messagesAdded(let chatRowID, let names, arrived: true):
            guard let (dirName, id) = try chat(chatRowID) else { return [] }
            return names.map { name in
                EventLine(event: "message", chat: dirName, chatID: id, sequence: MessageFormat.sequence(inFileName: name),
                          sender: sender(inFileName: name), path: dirName + "/" + name)
            }
        case .chatsChanged(let added, let removed):
            // A rename is the old name removed and the new one added, under the same row id.
            let oldNames = Dictionary(removed.map { ($0.rowID, $0.dirName) }, uniquingKeysWith: { first, _ in first })
            let addedRowIDs = Set(added.map(\.rowID))
            var lines: [EventLine] = []
            for name in removed where !addedRowIDs.contains(name.rowID) {
                lines.append(EventLine(event: "chat_removed", chat: name.dirName))
            }
            for name in added {
                let id = try chat(name.rowID)?.id
                if let old = oldNames[name.rowID] {
                    lines.append(EventLine(event: "chat_renamed", chat: name.dirName, chatID: id, old: old, path: name.dirName))
                } else {
                    lines.append(EventLine(event: "chat_added", chat: name.dirName, chatID: id, path: name.dirName))
                }
            }
            return lines
        case .outboxOutcome(let outcome):
            let dirName = try outcome.chatRowID.flatMap(chat)?.dirName
            /// `suffix`: the file stays in outbox/ under its name and this suffix.
            func line(_ event: String, suffix: String? = nil, reason: String? = nil, sequence: Int? = nil) -> EventLine {
                var path: String?
                if let dirName, let suffix { path = "\(dirName)/\(Node.outboxDirectoryName)/\(outcome.name)\(suffix)" }
                return EventLine(event: event, chat: dirName, chatID: outcome.chatID, sequence: sequence, file: outcome.name,
                                 path: path, reason: reason)
            }
            switch outcome.result {
            case .sent(let sequence): return [line("sent", sequence: sequence)]
            case .failed(let reason): return [line("send_failed", suffix: OutboxNames.failedSuffix, reason: reason)]
            case .refused(let reason): return [line("refused", suffix: OutboxNames.refusedSuffix, reason: reason)]
            }
        case .messagesAdded, .messagesRemoved, .chatChanged, .outboxChanged, .mediaChanged, .statusChanged, .queuesStale:
            return []
        }
    }

    /// The line's bytes: compact JSON, keys sorted, and a newline.
    func encoded() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(self)) + [0x0A]
    }

    /// `alice` in `000042-alice.txt`.
    private static func sender(inFileName name: String) -> String? {
        guard let dash = name.firstIndex(of: "-"), name.hasSuffix(".txt") else { return nil }
        return String(name[name.index(after: dash)..<name.index(name.endIndex, offsetBy: -4)])
    }
}
