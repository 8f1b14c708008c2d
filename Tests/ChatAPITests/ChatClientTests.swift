import Foundation
import Logging
import Locking
import Testing
@testable import ChatAPI

/// The client against a scripted loopback peer: what goes on the wire, and how each
/// kind of answer (or silence) comes back.
@Suite struct ChatClientTests {
    static let messageJSON = """
        {"id": "m1", "requestId": "r1", "senderId": "u1", "sender": {"id": "u1", "username": "alice"},
         "content": "a &lt; b", "sequenceNumber": 9, "clientTempId": "t-1", "createdAt": "2026-02-10T08:15:42Z"}
        """

    static func loginJSON(token: String) -> String {
        #"{"accessToken": "\#(token)", "tokenType": "bearer", "user": {"id": "u1", "username": "alice"}}"#
    }

    func client(_ peer: ScriptedHTTPPeer, _ credentials: Credentials = .username("alice"),
                store: (any TokenStore)? = nil, timeout: Double = 10) throws -> ChatClient {
        try ChatClient(server: URL(string: peer.url)!, credentials: credentials, tokenStore: store,
                       requestTimeout: timeout, logger: Logger(label: "test"))
    }

    @Test func logsInLazilyAndSendsTheTokenWithoutOriginOrReferer() throws {
        let peer = try ScriptedHTTPPeer { request in
            switch request.target {
            case "/api/v1/auth/login": .json(200, Self.loginJSON(token: "tok1"))
            default: .json(200, "[\(Self.messageJSON)]", headers: ["X-Total-Count": "9", "X-Has-More": "true"])
            }
        }
        defer { peer.stop() }
        let store = MemoryTokenStore(nil)
        let page = try client(peer, store: store).messages(chatID: "r1", .before(sequence: 10, limit: 5))

        #expect(page.messages.map(\.text) == ["a < b"])
        #expect(page.totalCount == 9)
        #expect(page.hasMore == true)
        #expect(store.load() == "tok1")
        let requests = peer.requests
        #expect(requests.map(\.target) == ["/api/v1/auth/login", "/api/v1/chat/messages/request/r1?before_sequence=10&limit=5"])
        #expect(requests[0].method == "POST")
        #expect(try JSONSerialization.jsonObject(with: requests[0].body) as? [String: String] == ["username": "alice"])
        #expect(requests[0].headers["authorization"] == nil)
        #expect(requests[1].headers["authorization"] == "Bearer tok1")
        #expect(requests[1].headers["accept-encoding"]?.contains("gzip") == true)
        for request in requests {
            #expect(request.headers["origin"] == nil)
            #expect(request.headers["referer"] == nil)
        }
    }

    @Test func aRefusedStoredTokenLogsInAgainOnceAndRetries() throws {
        let peer = try ScriptedHTTPPeer { request in
            switch (request.target, request.headers["authorization"]) {
            case ("/api/v1/auth/login", _): .json(200, Self.loginJSON(token: "fresh"))
            case (_, "Bearer fresh"): .json(200, #"{"requestId": "r1", "unreadCount": 3, "lastReadAt": null}"#)
            default: .json(401, #"{"detail": "Could not validate credentials"}"#, headers: ["WWW-Authenticate": "Bearer"])
            }
        }
        defer { peer.stop() }
        let store = MemoryTokenStore("stale")
        #expect(try client(peer, store: store).unreadCount(chatID: "r1") == 3)
        #expect(peer.requests.map(\.target) == ["/api/v1/chat/r1/unread", "/api/v1/auth/login", "/api/v1/chat/r1/unread"])
        #expect(store.load() == "fresh")
    }

    @Test func a401RightAfterAFreshLoginIsRetryableNotAnotherLogin() throws {
        let peer = try ScriptedHTTPPeer { request in
            request.target == "/api/v1/auth/login"
                ? .json(200, Self.loginJSON(token: "fresh")) : .json(401, #"{"detail": "Could not validate credentials"}"#)
        }
        defer { peer.stop() }
        #expect {
            try client(peer, store: MemoryTokenStore("stale")).chatList()
        } throws: { error in
            guard case .retryable(status: 401, _) = error as? APIError else { return false }
            return true
        }
        // The stale token, one login, the fresh token: then it stops.
        #expect(peer.requests.map(\.target) == ["/api/v1/chat/page-data", "/api/v1/auth/login", "/api/v1/chat/page-data"])
    }

    @Test func a401ForTheFirstLoginsTokenIsRetryableWithoutASecondLogin() throws {
        let peer = try ScriptedHTTPPeer { request in
            request.target == "/api/v1/auth/login"
                ? .json(200, Self.loginJSON(token: "fresh")) : .json(401, #"{"detail": "Could not validate credentials"}"#)
        }
        defer { peer.stop() }
        #expect {
            try client(peer, store: MemoryTokenStore(nil)).chatList()
        } throws: { error in
            guard case .retryable(status: 401, _) = error as? APIError else { return false }
            return true
        }
        #expect(peer.requests.map(\.target) == ["/api/v1/auth/login", "/api/v1/chat/page-data"])
    }

    @Test func aFixedTokenRefusedIsPermanentAndNeverLogsIn() throws {
        let peer = try ScriptedHTTPPeer { _ in .json(401, #"{"detail": "Could not validate credentials"}"#) }
        defer { peer.stop() }
        #expect(throws: APIError.permanent(status: 401, detail: "Could not validate credentials")) {
            try client(peer, .token("fixed")).chatList()
        }
        #expect(peer.requests.map(\.target) == ["/api/v1/chat/page-data"])
        #expect(peer.requests[0].headers["authorization"] == "Bearer fixed")
    }

    @Test func aRefusedLoginIsAnAuthenticationFailure() throws {
        let peer = try ScriptedHTTPPeer { _ in .json(404, #"{"detail": "User not found"}"#) }
        defer { peer.stop() }
        #expect(throws: APIError.authenticationFailed("User not found")) {
            try client(peer, .username("nobody")).login()
        }
    }

    @Test func sendsMessagesAsCamelCaseJSON() throws {
        let peer = try ScriptedHTTPPeer { _ in .json(201, Self.messageJSON) }
        defer { peer.stop() }
        let sent = try client(peer, .token("t")).send(OutgoingMessage(chatID: "r1", content: "a < b", clientTempID: "t-1"))
        #expect(sent.sequenceNumber == 9)
        #expect(sent.clientTempId == "t-1")
        let request = try #require(peer.requests.first)
        #expect(request.method == "POST")
        #expect(request.target == "/api/v1/chat/messages")
        #expect(request.headers["content-type"] == "application/json")
        let body = try JSONSerialization.jsonObject(with: request.body) as? [String: String]
        #expect(body == ["requestId": "r1", "content": "a < b", "clientTempId": "t-1"])
    }

    @Test func escapesIdsSoTheyCannotChangeThePath() throws {
        let peer = try ScriptedHTTPPeer { _ in .json(200, "[]") }
        defer { peer.stop() }
        _ = try client(peer, .token("t")).chatFiles(chatID: "../screenshots/1?x=#")
        #expect(peer.requests.first?.target == "/api/v1/chat-files/request/..%2Fscreenshots%2F1%3Fx%3D%23")
    }

    @Test func classifiesErrorAnswers() throws {
        let peer = try ScriptedHTTPPeer { request in
            switch request.target {
            case "/api/v1/chat/a/unread": .answer(status: 500, body: Data("Internal Server Error".utf8))
            case "/api/v1/chat/b/unread": .json(429, #"{"error": "Rate limit exceeded: 30 per 1 minute"}"#)
            case "/api/v1/chat/c/unread": .json(200, #"{"unread": "many"}"#)
            default: .json(200, "not json at all")
            }
        }
        defer { peer.stop() }
        let client = try client(peer, .token("t"))
        #expect(throws: APIError.retryable(status: 500, detail: "Internal Server Error")) {
            try client.unreadCount(chatID: "a")
        }
        #expect(throws: APIError.rateLimited(retryAfter: nil, detail: "Rate limit exceeded: 30 per 1 minute")) {
            try client.unreadCount(chatID: "b")
        }
        for chat in ["c", "d"] {
            #expect {
                try client.unreadCount(chatID: chat)
            } throws: { error in
                guard case .malformed = error as? APIError else { return false }
                return true
            }
        }
    }

    @Test func nothingListeningIsOffline() throws {
        let client = try ChatClient(server: URL(string: ScriptedHTTPPeer.closedPortURL())!, credentials: .token("t"),
                                    tokenStore: nil, logger: Logger(label: "test"))
        #expect {
            try client.chatList()
        } throws: { error in
            (error as? APIError)?.isOffline == true
        }
    }

    @Test func aConnectionClosedAfterTheRequestIsAmbiguous() throws {
        let peer = try ScriptedHTTPPeer { _ in .hangUp }
        defer { peer.stop() }
        #expect {
            try client(peer, .token("t")).send(OutgoingMessage(chatID: "r1", content: "hello"))
        } throws: { error in
            (error as? APIError)?.isInDoubt == true
        }
        #expect(peer.requests.count == 1)
    }

    @Test func aTimeoutAfterTheRequestLeftIsAmbiguous() throws {
        let peer = try ScriptedHTTPPeer { _ in .stall(seconds: 3) }
        defer { peer.stop() }
        let start = Date()
        #expect {
            try client(peer, .token("t"), timeout: 1).send(OutgoingMessage(chatID: "r1", content: "hello"))
        } throws: { error in
            (error as? APIError)?.isInDoubt == true
        }
        #expect(Date().timeIntervalSince(start) < 2.5)
    }

    @Test func servesManyThreadsAtOnceOverReusedConnections() throws {
        let peer = try ScriptedHTTPPeer { request in
            .json(200, #"{"requestId": "r", "unreadCount": \#(request.target.count), "lastReadAt": null}"#)
        }
        defer { peer.stop() }
        let client = try client(peer, .token("t"))
        let failures = Locked(0)
        DispatchQueue.concurrentPerform(iterations: 8) { worker in
            for round in 0..<20 {
                let chatID = "chat-\(worker)-\(round)"
                let expected = "/api/v1/chat/\(chatID)/unread".count
                if (try? client.unreadCount(chatID: chatID)) != expected {
                    failures.withLock { $0 += 1 }
                }
            }
        }
        #expect(failures.withLock { $0 } == 0)
        #expect(peer.requests.count == 160)
    }

    @Test func detectsTheServerGenerationFromTheDeltaHeader() throws {
        let delta = try ScriptedHTTPPeer { _ in .json(200, "[]", headers: ["X-Newest-Sequence": "", "X-Total-Count": "0"]) }
        let legacy = try ScriptedHTTPPeer { _ in .json(200, "[]", headers: ["X-Total-Count": "0"]) }
        defer {
            delta.stop()
            legacy.stop()
        }
        #expect(try client(delta, .token("t")).detectGeneration(probeChatID: "r1") == .delta)
        #expect(try client(legacy, .token("t")).detectGeneration(probeChatID: "r1") == .legacy)
        #expect(delta.requests.first?.target == "/api/v1/chat/messages/request/r1?since_sequence=0&limit=1")
    }
}
