import ChatAPI
import ChatCache
import Foundation
import Testing
@testable import ChatSync

/// Defect 5 of issue 12: a message is stored from what every cache can know, so the
/// sender's cache (which keeps the send's answer) and a fresh one (which lists the
/// message) render the same bytes.
struct MessageFromWireTests {
    /// A message as the server answers it; `fileFields` is what a send's answer (and the
    /// delta server's list) carries, null in the deployed backend's list.
    static func message(content: String, fileFields: String) throws -> ChatMessage {
        let json = """
            {"id": "3f9c2a7e-8b1d-4c55-9e0a-6d2f1b7c4a10", "requestId": "a1b2", "senderId": "5e6f",
             "sender": {"id": "5e6f", "username": "alice", "fullName": "Alice Example"},
             "content": "\(content)", "sequenceNumber": 12, \(fileFields),
             "clientTempId": "t-1", "createdAt": "2026-02-10T08:15:42.123456Z"}
            """
        return try WireJSON.decoder().decode(ChatMessage.self, from: Data(json.utf8))
    }

    static let listedByTheDeployedBackend = """
        "isScreenshot": false, "screenshotFileName": null, "fileName": null, "fileSize": null, "fileMimeType": null, "fileId": null
        """

    @Test func aSentFileReadsTheSameAsTheDeployedBackendListsIt() throws {
        let sent = try Self.message(content: "[File: small.pdf]", fileFields: """
            "isScreenshot": false, "screenshotFileName": null, "fileName": "small.pdf", "fileSize": 1234,
            "fileMimeType": "application/pdf", "fileId": 7
            """)
        let listed = try Self.message(content: "[File: small.pdf]", fileFields: Self.listedByTheDeployedBackend)
        #expect(IncomingMessage(sent) == IncomingMessage(listed))
    }

    @Test func aSentScreenshotReadsTheSameAsTheDeployedBackendListsIt() throws {
        let sent = try Self.message(content: "[Screenshot]", fileFields: """
            "isScreenshot": true, "screenshotFileName": "0a1b2c3d_vpn-error_4e5f6a7b.jpg", "fileName": null,
            "fileSize": null, "fileMimeType": null, "fileId": null
            """)
        let listed = try Self.message(content: "[Screenshot]", fileFields: Self.listedByTheDeployedBackend)
        #expect(IncomingMessage(sent) == IncomingMessage(listed))
    }
}
