import Foundation
import Logging
import Testing
@testable import ChatAPI

/// Multipart uploads against a scripted loopback peer: what goes on the wire, and the
/// failures that must be caught before a request leaves.
@Suite struct UploadTests {
    static let chatFileAnswer = """
        {"file": {"id": 7, "originalFilename": "report.pdf", "storedFilename": "ab12_report.pdf", "fileSize": 5,
                  "mimeType": "application/pdf", "uploadStatus": "completed", "isCorrupted": false,
                  "createdAt": "2026-02-10T08:15:42Z"},
         "uploadStatus": "completed", "message": "File uploaded"}
        """
    static let screenshotAnswer = """
        {"screenshot": {"id": 3, "filename": "0a1b2c3d_shot_4e5f6a7b.jpg", "fileSize": 5, "mimeType": "image/jpeg",
                        "uploadStatus": "completed", "isCorrupted": false, "createdAt": "2026-02-10T08:15:42.5Z"},
         "uploadStatus": "completed", "message": "ok", "uploadUrl": null, "uploadMethod": "http"}
        """

    let directory: String
    let content = Data("%PDF\0binary\r\n--not-a-boundary".utf8)

    init() throws {
        directory = NSTemporaryDirectory() + "chatapi-upload-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
    }

    /// Writes `content` to a file in the suite's directory and returns its path.
    private func localFile(_ name: String = "local.bin") -> String {
        let path = directory + "/" + name
        #expect(FileManager.default.createFile(atPath: path, contents: content))
        return path
    }

    private func withPeer(timeout: Double = 10, pauseBetweenReads: Double = 0, _ script: @escaping @Sendable (ScriptedHTTPPeer.Request) -> ScriptedHTTPPeer.Reply,
                          _ body: (ChatClient, ScriptedHTTPPeer) throws -> Void) throws {
        let peer = try ScriptedHTTPPeer(pauseBetweenReads: pauseBetweenReads, script: script)
        defer {
            peer.stop()
            try? FileManager.default.removeItem(atPath: directory)
        }
        let client = try ChatClient(server: URL(string: peer.url)!, credentials: .token("t"), tokenStore: nil,
                                    requestTimeout: timeout, logger: Logger(label: "test"))
        try body(client, peer)
    }

    /// The one part of a multipart body: its header block and its bytes.
    private func onlyPart(of request: ScriptedHTTPPeer.Request) throws -> (headers: String, body: Data) {
        let contentType = try #require(request.headers["content-type"])
        let prefix = "multipart/form-data; boundary="
        try #require(contentType.hasPrefix(prefix))
        let boundary = Data(("--" + contentType.dropFirst(prefix.count)).utf8)
        let body = request.body
        let opening = try #require(body.range(of: boundary + Data("\r\n".utf8)))
        let headerEnd = try #require(body.range(of: Data("\r\n\r\n".utf8), in: opening.upperBound..<body.endIndex))
        let closing = try #require(body.range(of: Data("\r\n".utf8) + boundary + Data("--".utf8),
                                              in: headerEnd.upperBound..<body.endIndex))
        return (String(decoding: body[opening.upperBound..<headerEnd.lowerBound], as: UTF8.self),
                Data(body[headerEnd.upperBound..<closing.lowerBound]))
    }

    @Test func sendsTheFileAsOnePartNamedFileAndReturnsTheStoredFile() throws {
        try withPeer({ _ in .json(201, Self.chatFileAnswer) }) { client, peer in
            let info = try client.upload(.chatFile, chatID: "r 1", fileName: "report.pdf", mimeType: "application/pdf",
                                         contents: Data(contentsOf: URL(fileURLWithPath: localFile())))
            #expect(info == MediaInfo(ChatFile(
                id: 7, originalFilename: "report.pdf", storedFilename: "ab12_report.pdf", fileSize: 5,
                mimeType: "application/pdf", uploadStatus: "completed", isCorrupted: false,
                createdAt: WireDate.parse("2026-02-10T08:15:42Z"))))
            let request = try #require(peer.requests.first)
            #expect(request.method == "POST")
            #expect(request.target == "/api/v1/chat-files/upload?request_id=r%201")
            #expect(request.headers["authorization"] == "Bearer t")
            #expect(request.headers["expect"] == nil)
            let part = try onlyPart(of: request)
            #expect(part.headers.contains(#"Content-Disposition: form-data; name="file"; filename="report.pdf""#))
            #expect(part.headers.contains("Content-Type: application/pdf"))
            #expect(part.body == content)
        }
    }

    @Test func aScreenshotComesBackUnderTheServersName() throws {
        try withPeer({ _ in .json(201, Self.screenshotAnswer) }) { client, peer in
            let info = try client.upload(.screenshot, chatID: "r1", fileName: "shot.png", mimeType: "image/png",
                                         contents: Data(contentsOf: URL(fileURLWithPath: localFile())))
            #expect(info.kind == .screenshot)
            #expect(info.id == 3)
            #expect(info.fileName == "0a1b2c3d_shot_4e5f6a7b.jpg")
            #expect(peer.requests.first?.target == "/api/v1/screenshots/upload?request_id=r1")
        }
    }

    @Test func quotesAndNonASCIIInTheFileNameCannotBreakThePartHeader() throws {
        try withPeer({ _ in .json(201, Self.chatFileAnswer) }) { client, peer in
            _ = try client.upload(.chatFile, chatID: "r1", fileName: #"a"b; name="x" café.txt"#, mimeType: "text/plain",
                                  contents: Data(contentsOf: URL(fileURLWithPath: localFile())))
            let part = try onlyPart(of: try #require(peer.requests.first))
            let disposition = try #require(part.headers.split(separator: "\r\n").first)
            #expect(disposition == #"Content-Disposition: form-data; name="file"; filename="a%22b; name=%22x%22 café.txt""#)
        }
    }

    @Test func aRefusedTokenLogsInAgainAndSendsTheWholeFileAgain() throws {
        let peer = try ScriptedHTTPPeer { request in
            switch (request.target, request.headers["authorization"]) {
            case ("/api/v1/auth/login", _):
                .json(200, #"{"accessToken": "fresh", "user": {"id": "u1", "username": "alice"}}"#)
            case (_, "Bearer fresh"): .json(201, Self.chatFileAnswer)
            default: .json(401, #"{"detail": "Could not validate credentials"}"#)
            }
        }
        defer {
            peer.stop()
            try? FileManager.default.removeItem(atPath: directory)
        }
        let store = MemoryTokenStore("stale")
        let client = try ChatClient(server: URL(string: peer.url)!, credentials: .username("alice"), tokenStore: store,
                                    logger: Logger(label: "test"))
        #expect(try client.upload(.chatFile, chatID: "r1", fileName: "a.bin", mimeType: "application/octet-stream",
                                  contents: Data(contentsOf: URL(fileURLWithPath: localFile()))).id == 7)
        let requests = peer.requests
        #expect(requests.map(\.target) == ["/api/v1/chat-files/upload?request_id=r1", "/api/v1/auth/login",
                                           "/api/v1/chat-files/upload?request_id=r1"])
        #expect(try onlyPart(of: requests[2]).body == content)
    }

    @Test func filesThatCanNeverBeSentFailBeforeAnyRequest() throws {
        try withPeer({ _ in .json(201, Self.chatFileAnswer) }) { client, peer in
            let tooLarge = localFile("big")
            #expect(truncate(tooLarge, off_t(ChatClient.maxUploadBytes + 1)) == 0)
            let cases: [(path: String, fileName: String, mimeType: String)] = [
                (tooLarge, "a.txt", "text/plain"),
                (localFile(), "two\nlines.txt", "text/plain"),
                (localFile(), "", "text/plain"),
                (localFile(), "a.txt", "text/plain\r\nX-Injected: 1"),
            ]
            for item in cases {
                #expect {
                    try client.upload(.chatFile, chatID: "r1", fileName: item.fileName, mimeType: item.mimeType,
                                      contents: Data(contentsOf: URL(fileURLWithPath: item.path)))
                } throws: { error in
                    guard case .permanent(status: 0, _) = error as? APIError else { return false }
                    return true
                }
            }
            #expect(peer.requests.isEmpty)
        }
    }

    @Test func aFileOfExactlyTheLimitIsSent() throws {
        try withPeer({ _ in .json(201, Self.chatFileAnswer) }) { client, peer in
            let path = localFile("limit")
            #expect(truncate(path, off_t(ChatClient.maxUploadBytes)) == 0)
            _ = try client.upload(.chatFile, chatID: "r1", fileName: "limit.bin", mimeType: "application/octet-stream",
                                  contents: Data(contentsOf: URL(fileURLWithPath: path)))
            #expect(try onlyPart(of: try #require(peer.requests.first)).body.count == ChatClient.maxUploadBytes)
        }
    }

    @Test func anUploadThatKeepsMovingMayOutlastTheRequestTimeout() throws {
        // 12 MiB read 64 KiB per 10 ms: about 2 s on the wire against a 1 s timeout.
        try withPeer(timeout: 1, pauseBetweenReads: 0.01, { _ in .json(201, Self.chatFileAnswer) }) { client, peer in
            let path = localFile("slow")
            #expect(truncate(path, 12 * 1024 * 1024) == 0)
            let start = Date()
            let stored = try client.upload(.chatFile, chatID: "r1", fileName: "slow.bin",
                                           mimeType: "application/octet-stream", contents: Data(contentsOf: URL(fileURLWithPath: path)))
            #expect(stored.id == 7)
            #expect(Date().timeIntervalSince(start) > 1.5)
            #expect(peer.requests.count == 1)
        }
    }

    @Test func aStallAfterSendingIsInDoubt() throws {
        try withPeer(timeout: 1, { _ in .stall(seconds: 4) }) { client, peer in
            let start = Date()
            #expect {
                try client.upload(.screenshot, chatID: "r1", fileName: "a.png", mimeType: "image/png",
                                  contents: Data(contentsOf: URL(fileURLWithPath: localFile())))
            } throws: { error in
                (error as? APIError)?.isInDoubt == true
            }
            #expect(Date().timeIntervalSince(start) < 3.5)
            #expect(peer.requests.count == 1)
        }
    }

    @Test func anErrorAnswerIsClassifiedAsForAnyCall() throws {
        try withPeer({ _ in .json(413, #"{"detail": "File too large"}"#) }) { client, _ in
            #expect(throws: APIError.permanent(status: 413, detail: "File too large")) {
                try client.upload(.chatFile, chatID: "r1", fileName: "a.bin", mimeType: "application/octet-stream",
                                  contents: Data(contentsOf: URL(fileURLWithPath: localFile())))
            }
        }
    }
}
