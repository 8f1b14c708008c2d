import Foundation
import TestSupport
import Testing

/// A few end-to-end checks of the built `chatfs-server` binary over HTTP, for what only a
/// real process shows: the listening line, restarts on the same database, a clean exit on
/// SIGTERM, the two generations, dropped connections and the rate limit.
@Suite(.serialized)
struct ServerProcessTests {
    @Test func restartOnTheSameDatabaseAndPortServesTheSameDataWithoutReseeding() throws {
        try withServerProcess { first in
            #expect(first.url.hasPrefix("http://127.0.0.1:"))
            let chatsBefore = try first.chats().map(\.id)
            #expect(chatsBefore.count >= 20)

            // `--demo` again: a database that already has users must not be seeded twice.
            let second = try first.restarted(extraArguments: ["--demo"])
            defer { second.stop() }
            #expect(first.exitedCleanly)
            #expect(second.url == first.url)
            #expect(try second.chats().map(\.id) == chatsBefore)
        }
    }

    @Test(arguments: [false, true])
    func onlyTheDeltaGenerationAnswersDeltaHeaders(legacy: Bool) throws {
        try withServerProcess(legacy: legacy) { server in
            let chat = try #require(try server.chats().first).id
            let answer = try server.answer(
                "GET", "/api/v1/chat/messages/request/\(chat)?since_sequence=0", token: server.login("alice"))
            #expect(answer.status == 200)
            #expect((answer.headers["x-newest-sequence"] != nil) == !legacy)
            #expect(answer.headers["cache-control"] == "no-store")
        }
    }

    @Test func dropAfterCommitStoresTheMessageButAnswersNothing() throws {
        try withServerProcess { server in
            let chat = try #require(try server.chats().first).id
            try server.injectFault([
                "pathContains": "/chat/messages", "method": "POST", "action": "drop-after-commit", "times": 1,
            ])
            let send = try server.answer(
                "POST", "/api/v1/chat/messages",
                json: #"{"requestId": "\#(chat)", "content": "sent into the void", "clientTempId": "drop-1"}"#,
                token: server.login("alice"))
            #expect(send.status == 0)  // the connection closed without an HTTP answer
            #expect(try server.messages(chatID: chat).contains { $0["content"] as? String == "sent into the void" })
        }
    }

    @Test func testControlIsOffByDefaultAndSendsAreRateLimitedPerIP() throws {
        // The last `--send-rate-limit` wins over ReferenceServer's own `0`.
        try withServerProcess(testControl: false, extraArguments: ["--send-rate-limit", "2"]) { server in
            #expect(try server.request("GET", "/_test/requests").status == 404)
            let token = try server.login("alice")
            let chat = try #require(try server.chats().first).id
            var answers: [ServerAnswer] = []
            for index in 0..<3 {
                answers.append(
                    try server.answer(
                        "POST", "/api/v1/chat/messages", json: #"{"requestId": "\#(chat)", "content": "message \#(index)"}"#,
                        token: token))
            }
            #expect(answers.map(\.status) == [201, 201, 429])
            #expect(answers.last?.body == #"{"error":"Rate limit exceeded: 2 per 1 minute"}"#)
            #expect(answers.last?.headers["retry-after"] == nil)
        }
    }
}
