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
