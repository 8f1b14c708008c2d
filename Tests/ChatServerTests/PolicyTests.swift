import Testing

@testable import ChatServer

struct SendRateLimiterTests {
    @Test func allowsTheLimitPerWindowAndIPThenRefusesUntilTheWindowEnds() {
        let limiter = SendRateLimiter(limitPerWindow: 3)
        let start = ServerTimestamp(microseconds: 1_000_000_000)
        for _ in 0..<3 { #expect(limiter.admit(client: "10.0.0.1", now: start)) }
        #expect(!limiter.admit(client: "10.0.0.1", now: ServerTimestamp(microseconds: start.microseconds + 59_000_000)))
        #expect(limiter.admit(client: "10.0.0.2", now: start))
        #expect(limiter.admit(client: "10.0.0.1", now: ServerTimestamp(microseconds: start.microseconds + 60_000_000)))
        #expect(limiter.exceededMessage == "Rate limit exceeded: 3 per 1 minute")
    }

    @Test func zeroDisablesTheLimit() {
        let limiter = SendRateLimiter(limitPerWindow: 0)
        for _ in 0..<100 { #expect(limiter.admit(client: "10.0.0.1")) }
    }
}

struct FaultInjectorTests {
    @Test func firstMatchingRuleAppliesAndExpiresAfterItsTimes() {
        let faults = FaultInjector()
        _ = faults.add(pathContains: "/chat/messages", method: "post", action: .status(500), times: 2)
        _ = faults.add(pathContains: "/chat/", method: nil, action: .delay(seconds: 1), times: nil)
        #expect(faults.match(method: "GET", target: "/api/v1/chat/messages/request/x") == .delay(seconds: 1))
        #expect(faults.match(method: "POST", target: "/api/v1/chat/messages") == .status(500))
        #expect(faults.match(method: "POST", target: "/api/v1/chat/messages") == .status(500))
        #expect(faults.match(method: "POST", target: "/api/v1/chat/messages") == .delay(seconds: 1))
        #expect(faults.match(method: "GET", target: "/api/v1/auth/me") == nil)
        #expect(faults.clear() == 1)
        #expect(faults.match(method: "GET", target: "/api/v1/chat/page-data") == nil)
    }
}

struct MessageContentRulesTests {
    @Test func contentIsStrippedAndBoundedInCodePoints() throws {
        #expect(try MessageContentRules.validatedContent("  hi \n").get() == "hi")
        #expect(throws: ValidationIssue.self) { try MessageContentRules.validatedContent(" \t\n ").get() }
        let longest = String(repeating: "é", count: 10_000)
        #expect(try MessageContentRules.validatedContent(longest).get() == longest)
        #expect(throws: ValidationIssue.self) { try MessageContentRules.validatedContent(longest + "x").get() }
    }

    @Test func previewNamesTheSenderAndKeeps100Characters() {
        let long = String(repeating: "x", count: 150)
        #expect(
            MessageContentRules.preview(
                content: long, senderID: "me", senderFullName: "Alice", senderUsername: "alice", viewerID: "me")
                == "You: " + String(repeating: "x", count: 100))
        #expect(
            MessageContentRules.preview(
                content: "hi", senderID: "b", senderFullName: "Bob Tech", senderUsername: "bob", viewerID: "me")
                == "Bob Tech: hi")
        #expect(
            MessageContentRules.preview(content: "hi", senderID: "b", senderFullName: nil, senderUsername: "bob", viewerID: "me")
                == "bob: hi")
        #expect(
            MessageContentRules.preview(content: "hi", senderID: nil, senderFullName: nil, senderUsername: nil, viewerID: "me")
                == "Unknown: hi")
    }
}
