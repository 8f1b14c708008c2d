/// `GET /chat/page-data` (docs/api.md "The chat list").
enum ChatListJSON {
    static func pageData(
        _ entries: [ChatStore.ChatListEntry], viewer: UserRecord, generation: ServerGeneration
    ) -> JSONValue {
        let items = entries.map { item($0, viewerID: viewer.id, generation: generation) }
        let statusCounts = RequestStatus.all.map { status in
            JSONValue.object([
                ("id", .int(status.id)),
                ("name", .string(status.name)),
                ("color", .string(status.color)),
                ("count", .int(entries.count { $0.chat.status == status })),
            ])
        }
        let statuses = RequestStatus.all.map { status in
            JSONValue.object([
                ("id", .int(status.id)),
                ("name", .string(status.name)),
                ("color", .string(status.color)),
                ("countAsSolved", .bool(status.countAsSolved)),
            ])
        }
        let messageCounts = entries.map { entry in
            JSONValue.object([("requestId", .string(entry.chat.id)), ("count", .int(entry.messageCount))])
        }
        return .object([
            ("chatMessages", .array(items)),
            ("requestStatus", .array(statusCounts)),
            ("statuses", .array(statuses)),
            ("chatMessagesCount", .array(messageCounts)),
        ])
    }

    static func item(_ entry: ChatStore.ChatListEntry, viewerID: String, generation: ServerGeneration) -> JSONValue {
        let last = entry.lastMessage
        let preview = last.map {
            MessageContentRules.preview(
                content: $0.content, senderID: $0.senderID, senderFullName: $0.sender?.fullName,
                senderUsername: $0.sender?.username, viewerID: viewerID)
        }
        return .object([
            ("id", .string(entry.chat.id)),
            ("title", .string(entry.chat.title)),
            ("statusId", .int(entry.chat.status.id)),
            ("status", .string(entry.chat.status.name)),
            ("statusColor", .string(entry.chat.status.color)),
            ("countAsSolved", .bool(entry.chat.status.countAsSolved)),
            ("createdAt", .timestamp(entry.chat.createdAt)),
            ("lastMessage", .string(preview)),
            ("lastMessageAt", .timestamp(last?.createdAt)),
            ("lastMessageSequence", .int(last?.sequenceNumber)),
            ("unreadCount", .int(reportedUnreadCount(entry.unreadCount, generation: generation))),
        ])
    }

    /// The deployed backend counts every unread foreign message twice; the delta server
    /// reports the true count.
    static func reportedUnreadCount(_ count: Int, generation: ServerGeneration) -> Int {
        generation == .legacy ? count * 2 : count
    }
}
