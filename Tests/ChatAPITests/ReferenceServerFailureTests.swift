import ChatAPI
import Foundation
import Testing
import TestSupport

extension ReferenceServerTests {
    /// Injected faults and outages, classified as the caller needs them.
    @Suite struct Failures {
        /// Adds a rule that fires once; the caller clears the faults when done.
        static func injectOnce(_ server: ReferenceServer, path: String, method: String? = nil,
                               _ action: [String: Any]) throws {
            var rule: [String: Any] = ["pathContains": path, "times": 1]
            if let method { rule["method"] = method }
            try server.injectFault(rule.merging(action) { $1 })
        }

        @Test func anInjected500IsRetryableAndTheNextCallSucceeds() throws {
            let server = try server(.delta)
            let client = try client(server)
            _ = try client.login()
            defer { try? server.clearFaults() }
            try Self.injectOnce(server, path: "/chat/page-data", ["action": "status", "status": 500])
            #expect {
                try client.chatList()
            } throws: { error in
                guard case .retryable(status: 500, _) = error as? APIError else { return false }
                return true
            }
            #expect(try !client.chatList().isEmpty)
        }

        @Test func anInjected429IsRateLimitedWithoutARetryAfter() throws {
            let server = try server(.delta)
            let chatID = try makeChat(on: server, count: 2)
            let client = try client(server)
            _ = try client.login()
            defer { try? server.clearFaults() }
            try Self.injectOnce(server, path: "/chat/messages", method: "POST", ["action": "status", "status": 429])
            #expect {
                try client.send(OutgoingMessage(chatID: chatID, content: "hello"))
            } throws: { error in
                guard case .rateLimited(retryAfter: nil, let detail) = error as? APIError else { return false }
                return detail.contains("Rate limit exceeded")
            }
        }

        @Test func aPostAnsweredAfterTheTimeoutIsAmbiguousAndMayHaveBeenApplied() throws {
            let server = try server(.delta)
            let chatID = try makeChat(on: server, count: 2)
            let client = try client(server, requestTimeout: 1)
            _ = try client.login()
            defer { try? server.clearFaults() }
            try Self.injectOnce(server, path: "/chat/messages", method: "POST", ["action": "delay", "delaySeconds": 2])
            #expect {
                try client.send(OutgoingMessage(chatID: chatID, content: "slow send"))
            } throws: { error in
                (error as? APIError)?.isInDoubt == true
            }
            // Why the caller must look before sending again: the server went on and stored it.
            #expect(try eventually(timeout: 10) {
                try client.messages(chatID: chatID, .newest(limit: 5)).messages.contains { $0.text == "slow send" }
            })
        }

        /// The body-level faults of the fault matrix (docs/api.md): a 200 whose body is not
        /// the answer is malformed, never a crash, and a 100 MB body is refused at the
        /// client's limit instead of being held.
        @Test(arguments: ["malformed-json", "truncated-json", "wrong-content-type", "huge-body"])
        func aBodyThatIsNotTheAnswerIsMalformed(action: String) throws {
            let server = try server(.delta)
            let client = try client(server)
            _ = try client.login()
            defer { try? server.clearFaults() }
            try Self.injectOnce(server, path: "/chat/page-data", ["action": action])
            #expect {
                try client.chatList()
            } throws: { error in
                guard case .malformed = error as? APIError else { return false }
                return true
            }
            #expect(try !client.chatList().isEmpty)
        }

        /// A send whose answer is cut by a reset, or trickles slower than the client waits:
        /// the server stored it, the client is in doubt.
        @Test(arguments: [["action": "reset-mid-body"], ["action": "trickle", "secondsPerByte": 1]] as [[String: any Sendable]])
        func aSendWhoseAnswerBreaksOffIsInDoubtAndStored(rule: [String: any Sendable]) throws {
            let server = try server(.delta)
            let chatID = try makeChat(on: server, count: 2)
            let client = try client(server, requestTimeout: 2)
            _ = try client.login()
            defer { try? server.clearFaults() }
            let text = "answer broken off \(UUID().uuidString.prefix(8))"
            try Self.injectOnce(server, path: "/chat/messages", method: "POST", rule)
            #expect {
                try client.send(OutgoingMessage(chatID: chatID, content: text))
            } throws: { error in
                (error as? APIError)?.isInDoubt == true
            }
            #expect(try client.messages(chatID: chatID, .newest(limit: 5)).messages.contains { $0.text == text })
        }

        /// Retry-After in its two forms: delay-seconds are honoured, an HTTP date (past or
        /// future) is not trusted (the caller's own backoff applies).
        @Test(arguments: [("7", 7.0), ("Wed, 21 Oct 2015 07:28:00 GMT", nil), ("Fri, 31 Dec 2100 23:59:59 GMT", nil)]
              as [(String, Double?)])
        func aRetryAfterIsReadAsDelaySecondsOnly(header: String, seconds: Double?) throws {
            let server = try server(.delta)
            let client = try client(server)
            _ = try client.login()
            defer { try? server.clearFaults() }
            try Self.injectOnce(server, path: "/chat/page-data", ["action": "status", "status": 429, "retryAfter": header])
            #expect {
                try client.chatList()
            } throws: { error in
                guard case .rateLimited(let retryAfter, _) = error as? APIError else { return false }
                return retryAfter == seconds
            }
        }

        @Test func aStoppedServerIsOffline() throws {
            let server = try ReferenceServer.start(demo: false)
            defer { server.stop() }
            let client = try ReferenceServerTests.client(server)
            #expect(throws: APIError.authenticationFailed("User not found")) { try client.login() }
            server.stop()
            #expect {
                try client.chatList()
            } throws: { error in
                (error as? APIError)?.isOffline == true
            }
        }
    }
}
