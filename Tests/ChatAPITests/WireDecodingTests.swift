import Foundation
import Testing
@testable import ChatAPI

@Suite struct WireDecodingTests {
    let decoder = WireJSON.decoder()

    /// The ChatMessageRead example of API.md, plus a field the client does not know.
    static let messageJSON = """
        {"id": "3f9c2a7e-8b1d-4c55-9e0a-6d2f1b7c4a10",
         "requestId": "a1b2c3d4-e5f6-4711-8899-aabbccddeeff",
         "senderId": "5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9",
         "sender": {"id": "5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9", "username": "alice",
                    "fullName": "Alice Example", "email": "alice@example.com", "avatar": "x.png"},
         "content": "I restarted it but it still says &lt;Access denied&gt;",
         "sequenceNumber": 7, "isScreenshot": false, "screenshotFileName": null,
         "fileName": null, "fileSize": null, "fileMimeType": null, "fileId": null,
         "ipAddress": null, "clientTempId": null, "isRead": false,
         "isReadByCurrentUser": true, "createdAt": "2026-02-10T08:15:42.123456Z",
         "updatedAt": "2026-02-10T08:15:42.123470Z", "readAt": null, "readReceipt": null,
         "reactions": [{"emoji": "👍"}]}
        """

    @Test func decodesTheDocumentedMessageAndIgnoresUnknownFields() throws {
        let message = try decoder.decode(ChatMessage.self, from: Data(Self.messageJSON.utf8))
        #expect(message.id == "3f9c2a7e-8b1d-4c55-9e0a-6d2f1b7c4a10")
        #expect(message.requestId == "a1b2c3d4-e5f6-4711-8899-aabbccddeeff")
        #expect(message.sender?.username == "alice")
        #expect(message.sender?.fullName == "Alice Example")
        #expect(message.sequenceNumber == 7)
        #expect(message.isScreenshot == false)
        #expect(message.fileId == nil)
        #expect(message.isReadByCurrentUser == true)
        #expect(message.readAt == nil)
        #expect(abs(message.createdAt.timeIntervalSince1970 - 1_770_711_342.123456) < 1e-6)
        #expect(message.content == "I restarted it but it still says &lt;Access denied&gt;")
        #expect(message.text == "I restarted it but it still says <Access denied>")
    }

    @Test func decodesASystemMessageWithNullSender() throws {
        let json = """
            {"id": "m2", "requestId": "r1", "senderId": null, "sender": null,
             "content": "Status changed|تم تغيير الحالة", "sequenceNumber": 3,
             "createdAt": "2026-02-10T08:15:42Z"}
            """
        let message = try decoder.decode(ChatMessage.self, from: Data(json.utf8))
        #expect(message.senderId == nil)
        #expect(message.sender == nil)
        #expect(message.text == "Status changed|تم تغيير الحالة")
        #expect(message.updatedAt == nil)
    }

    @Test func showsTheTitleRawAndLaterMessagesUnescaped() throws {
        func message(sequence: Int, content: String) throws -> ChatMessage {
            let object: [String: Any] = ["id": "m", "requestId": "r", "content": content,
                                         "sequenceNumber": sequence, "createdAt": "2026-02-10T08:15:42Z"]
            return try decoder.decode(ChatMessage.self, from: JSONSerialization.data(withJSONObject: object))
        }
        #expect(try message(sequence: 1, content: "Printer &amp; <scanner>").text == "Printer &amp; <scanner>")
        #expect(try message(sequence: 2, content: "Printer &amp; &lt;scanner&gt;").text == "Printer & <scanner>")
    }

    @Test func reportsAMessageWithoutItsSequenceAsADecodingError() {
        let json = #"{"id": "m", "requestId": "r", "content": "x", "createdAt": "2026-02-10T08:15:42Z"}"#
        #expect(throws: DecodingError.self) {
            try decoder.decode(ChatMessage.self, from: Data(json.utf8))
        }
    }

    @Test func decodesTheChatListFromPageData() throws {
        let json = """
            {"chatMessages": [
               {"id": "c1", "title": "VPN <down>", "statusId": 1, "status": "Open", "statusColor": "#00ff00",
                "countAsSolved": false, "createdAt": "2026-02-10T08:15:42Z", "lastMessage": "You: hi",
                "lastMessageAt": "2026-02-11T09:00:00.5Z", "lastMessageSequence": 12, "unreadCount": 2,
                "priority": "high"},
               {"id": "c2", "title": "Empty", "statusId": null, "status": null, "statusColor": null,
                "countAsSolved": null, "createdAt": "2026-02-10T08:15:42Z", "lastMessage": null,
                "lastMessageAt": null, "lastMessageSequence": null, "unreadCount": 0}],
             "requestStatus": [], "statuses": [{"id": 1}], "chatMessagesCount": []}
            """
        let chats = try decoder.decode(ChatPageData.self, from: Data(json.utf8)).chatMessages
        #expect(chats.map(\.id) == ["c1", "c2"])
        #expect(chats[0].title == "VPN <down>")
        #expect(chats[0].lastMessageSequence == 12)
        #expect(chats[0].lastMessageAt == Date(timeIntervalSince1970: 1_770_800_400.5))
        #expect(chats[1].lastMessageSequence == nil)
    }

    @Test func decodesLoginAndNeverPrintsTheToken() throws {
        let json = """
            {"accessToken": "eyJ.secret.token", "tokenType": "bearer", "expiresIn": 2592000, "sessionId": "s1",
             "redirectTo": "/", "user": {"id": "u1", "username": "alice", "email": "a@example.com",
             "fullName": "Alice Example", "isActive": true, "isTechnician": false, "isSuperAdmin": false}}
            """
        let login = try decoder.decode(LoginResponse.self, from: Data(json.utf8))
        #expect(login.accessToken == "eyJ.secret.token")
        #expect(login.user.isTechnician == false)
        #expect(!"\(login)".contains("secret"))
        #expect(!String(reflecting: login).contains("secret"))
        #expect(!"\(Credentials.token("eyJ.secret.token"))".contains("secret"))
    }

    @Test func decodesMediaListsAndDetailsIntoOneShape() throws {
        let file = try decoder.decode(ChatFile.self, from: Data("""
            {"id": 5, "originalFilename": "report.pdf", "storedFilename": "ab12.pdf", "fileSize": 1024,
             "mimeType": "application/pdf", "uploadStatus": "completed", "isCorrupted": false,
             "createdAt": "2026-02-10T08:15:42Z", "fileHash": "abc123"}
            """.utf8))
        let screenshot = try decoder.decode(Screenshot.self, from: Data("""
            {"id": 9, "filename": "0a1b2c3d_shot_4e5f6a7b.jpg", "fileSize": 2048, "mimeType": "image/jpeg",
             "uploadStatus": "pending", "isCorrupted": false, "createdAt": "2026-02-10T08:15:42Z"}
            """.utf8))
        #expect(MediaInfo(file).kind == .chatFile)
        #expect(MediaInfo(file).fileName == "report.pdf")
        #expect(MediaInfo(file).fileHash == "abc123")
        #expect(MediaInfo(screenshot).kind == .screenshot)
        #expect(MediaInfo(screenshot).fileName == "0a1b2c3d_shot_4e5f6a7b.jpg")
        #expect(MediaInfo(screenshot).fileHash == nil)
    }

    @Test func decodesReadState() throws {
        let marked = try decoder.decode(MarkReadResponse.self, from: Data("""
            {"requestId": "r1", "userId": "u1", "markedAt": "2026-02-10T08:15:42.5Z", "previousUnread": 4}
            """.utf8))
        #expect(marked.previousUnread == 4)
        let unread = try decoder.decode(UnreadResponse.self, from: Data("""
            {"requestId": "r1", "unreadCount": 3, "lastReadAt": null}
            """.utf8))
        #expect(unread.unreadCount == 3)
    }

    @Test func encodesOutgoingMessagesInCamelCaseWithoutNulls() throws {
        let message = OutgoingMessage(chatID: "r1", content: "a < b", clientTempID: "t-1")
        let json = String(decoding: try WireJSON.encoder().encode(message), as: UTF8.self)
        #expect(json == #"{"clientTempId":"t-1","content":"a < b","requestId":"r1"}"#)
    }

    @Test func summarizesDecodingErrorsWithTheirPath() {
        do {
            _ = try decoder.decode([ChatMessage].self, from: Data(#"[{"id": "m"}]"#.utf8))
            Issue.record("decoded a message without fields")
        } catch let error as DecodingError {
            #expect(error.summary.contains("[0]"))
            #expect(error.summary.contains("requestId") || error.summary.contains("content"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}
