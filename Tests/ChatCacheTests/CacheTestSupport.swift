import ChatCache
import Foundation
import TestSupport
import Logging

func makeCache() throws -> ChatCache {
    let directory = URL(fileURLWithPath: try makeTemporaryDirectory("chatfs-cache-test"))
    return try ChatCache(directory: directory, logger: Logger(label: "test"))
}

func entry(_ id: String, _ title: String, created: Double, lastSequence: Int = 1) -> ChatListEntry {
    ChatListEntry(id: id, title: title, status: "Open", createdAt: Date(timeIntervalSince1970: created),
                  lastMessageAt: nil, lastMessageSequence: lastSequence, unreadCount: 0)
}

func message(_ sequence: Int, sender: String? = "alice", text: String = "hello") -> IncomingMessage {
    IncomingMessage(id: "m\(sequence)", sequence: sequence, senderUsername: sender, senderFullName: sender.map { "\($0.capitalized) Example" },
                    createdAt: Date(timeIntervalSince1970: 1_770_000_000 + Double(sequence)), text: text, clientTempID: nil)
}
