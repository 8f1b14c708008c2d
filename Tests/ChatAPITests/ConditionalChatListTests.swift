import ChatAPI
import Foundation
import Testing
import TestSupport

/// `chatList(ifNoneMatch:)` against a scripted peer: what goes on the wire, and 304 as a
/// typed "unchanged", never an error.
@Suite struct ConditionalChatListTests {
    static let listJSON = #"{"chatMessages": [{"id": "r1", "title": "One", "lastMessageSequence": 4}]}"#

    func client(_ peer: ScriptedHTTPPeer) throws -> ChatClient {
        try ChatClient(server: URL(string: peer.url)!, credentials: .token("t"), tokenStore: nil,
                       requestTimeout: 10, logger: .init(label: "test"))
    }

    @Test func sendsTheTagItWasGivenAndReads304AsUnchanged() throws {
        let peer = try ScriptedHTTPPeer { request in
            request.headers["if-none-match"] == "\"v1\""
                ? .answer(status: 304, headers: ["ETag": "\"v1\""]) : .json(200, Self.listJSON, headers: ["ETag": "\"v1\""])
        }
        defer { peer.stop() }
        let client = try client(peer)
        let first = try client.chatList(ifNoneMatch: nil)
        guard case .list(let chats, let tag) = first else {
            Issue.record("expected a list, got \(first)")
            return
        }
        #expect(chats.map(\.id) == ["r1"])
        #expect(tag == "\"v1\"")
        #expect(try client.chatList(ifNoneMatch: tag) == .unchanged)
        #expect(peer.requests.map { $0.headers["if-none-match"] } == [nil, "\"v1\""])
    }

    @Test func aServerWithoutTagsGivesNoneAndAStaleTagGetsTheList() throws {
        let peer = try ScriptedHTTPPeer { _ in .json(200, Self.listJSON) }
        defer { peer.stop() }
        guard case .list(let chats, let tag) = try client(peer).chatList(ifNoneMatch: "\"old\"") else {
            Issue.record("expected a list")
            return
        }
        #expect(chats.map(\.lastMessageSequence) == [4] && tag == nil)
    }

    @Test func aTagThatCannotGoBackIntoAHeaderIsDropped() throws {
        let peer = try ScriptedHTTPPeer { _ in .json(200, Self.listJSON, headers: ["ETag": "\"a\u{7F}b\""]) }
        defer { peer.stop() }
        guard case .list(_, let tag) = try client(peer).chatList(ifNoneMatch: nil) else {
            Issue.record("expected a list")
            return
        }
        #expect(tag == nil)
    }

    @Test func a304NobodyAskedForIsAnError() throws {
        let peer = try ScriptedHTTPPeer { _ in .answer(status: 304) }
        defer { peer.stop() }
        #expect(throws: APIError.self) { try client(peer).chatList(ifNoneMatch: nil) }
    }
}

extension ReferenceServerTests {
    @Suite struct ConditionalChatList {
        @Test func theDeltaServerAnswersAnUnchangedListWith304() throws {
            let server = try server(.delta)
            let client = try client(server)
            guard case .list(let chats, let tag?) = try client.chatList(ifNoneMatch: nil) else {
                Issue.record("the delta server offered no tag")
                return
            }
            #expect(!chats.isEmpty)
            #expect(try client.chatList(ifNoneMatch: tag) == .unchanged)
            let chatID = try #require(chats.first?.id)
            try #require(try server.post(chatID: chatID, sender: "bob", content: "news") == 201)
            guard case .list(let changed, let newTag?) = try client.chatList(ifNoneMatch: tag) else {
                Issue.record("a changed list was not sent again")
                return
            }
            #expect(newTag != tag)
            #expect(changed.first { $0.id == chatID }?.lastMessageSequence
                    == (chats.first { $0.id == chatID }?.lastMessageSequence).map { $0 + 1 })
        }

        @Test func theDeployedGenerationIsUnconditional() throws {
            let client = try client(try server(.legacy))
            guard case .list(let chats, let tag) = try client.chatList(ifNoneMatch: "*") else {
                Issue.record("the deployed generation answered 304")
                return
            }
            #expect(!chats.isEmpty && tag == nil)
        }
    }
}
