/// ChatMessageRead (docs/api.md "Messages of one chat").
enum MessageJSON {
    /// Which answer the message is part of: GET lists hide what the deployed backend leaves
    /// null there; the POST answer echoes what was sent.
    enum Audience {
        case listing(ServerGeneration)
        case sendAnswer
    }

    static func render(
        _ message: MessageRecord, viewerID: String, readStates: [ReadState], audience: Audience
    ) -> JSONValue {
        // The deployed backend leaves file fields, fileId and clientTempId null in GET results.
        let showsStoredFields: Bool
        switch audience {
        case .listing(let generation): showsStoredFields = generation == .delta
        case .sendAnswer: showsStoredFields = true
        }
        let readByOthers = readStates.contains {
            $0.userID != message.senderID && $0.lastReadSequence >= message.sequenceNumber
        }
        let readByViewer = readStates.first { $0.userID == viewerID }.map {
            $0.lastReadSequence >= message.sequenceNumber
        } ?? false
        let sender: JSONValue = message.sender.map { sender in
            .object([
                ("id", .string(sender.id)),
                ("username", .string(sender.username)),
                ("fullName", .string(sender.fullName)),
                ("email", .string(sender.email)),
            ])
        } ?? .null
        return .object([
            ("id", .string(message.id)),
            ("requestId", .string(message.requestID)),
            ("senderId", .string(message.senderID)),
            ("sender", sender),
            ("content", .string(message.content)),
            ("sequenceNumber", .int(message.sequenceNumber)),
            ("isScreenshot", .bool(message.isScreenshot)),
            ("screenshotFileName", .string(message.screenshotFileName)),
            ("fileName", showsStoredFields ? .string(message.fileName) : .null),
            ("fileSize", showsStoredFields ? .int(message.fileSize) : .null),
            ("fileMimeType", showsStoredFields ? .string(message.fileMimeType) : .null),
            ("fileId", showsStoredFields ? .int(message.fileID) : .null),
            ("ipAddress", .null),
            ("clientTempId", showsStoredFields ? .string(message.clientTempID) : .null),
            ("isRead", .bool(readByOthers)),
            ("isReadByCurrentUser", .bool(readByViewer)),
            ("createdAt", .timestamp(message.createdAt)),
            ("updatedAt", .timestamp(message.updatedAt)),
            ("readAt", .null),
            ("readReceipt", .null),
        ])
    }
}
