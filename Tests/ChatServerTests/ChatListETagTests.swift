import Foundation
import TestSupport
import Testing

@testable import ChatServer

/// The conditional chat list of the delta generation (docs/api.md, "The chat list"): an
/// ETag that moves with everything the caller's list shows and nothing else, and 304 for
/// a matching `If-None-Match`. The deployed generation stays unconditional.
@Suite(.serialized)
struct ChatListETagTests {
    private let listPath = "/api/v1/chat/page-data"

    private func tag(_ server: ReferenceServer, token: String) throws -> String {
        let answer = try server.answer("GET", listPath, token: token)
        try #require(answer.status == 200, "\(answer)")
        return try #require(answer.headers["etag"], "no ETag on \(answer.headers)")
    }

    private func conditional(_ server: ReferenceServer, token: String, _ ifNoneMatch: String) throws -> ServerAnswer {
        try server.answer("GET", listPath, token: token, headers: ["If-None-Match: \(ifNoneMatch)"])
    }

    @Test func aMatchingTagAnswers304WithoutABody() throws {
        try withServerProcess { server in
            let alice = try server.login("alice")
            let tag = try tag(server, token: alice)
            #expect(tag.hasPrefix("\"") && tag.hasSuffix("\"") && tag.count > 20)
            for header in [tag, "W/\(tag)", "\"other\", \(tag)", "*"] {
                let answer = try conditional(server, token: alice, header)
                #expect(answer.status == 304, "If-None-Match: \(header)")
                #expect(answer.body.isEmpty)
                #expect(answer.headers["etag"] == tag)
            }
            let stale = try conditional(server, token: alice, "\"other\"")
            #expect(stale.status == 200 && stale.headers["etag"] == tag && stale.body.contains("chatMessages"))
            let counts = try server.requestCounts()
            #expect(counts.notModified["GET /chat/page-data"] == 4)
            #expect(counts.received["GET /chat/page-data"] == 6)
        }
    }

    @Test func theTagMovesWithEverythingTheListShows() throws {
        try withServerProcess { server in
            let alice = try server.login("alice")
            let chat = try server.createChat(title: "Tagged")
            var seen: Set<String> = [try tag(server, token: alice)]
            func expectNewTag(_ change: String) throws {
                let current = try tag(server, token: alice)
                #expect(!seen.contains(current), "the tag did not change after \(change)")
                seen.insert(current)
            }
            try #require(try server.post(chatID: chat, sender: "bob", content: "a new message") == 201)
            try expectNewTag("a new message")
            let renamed = try server.request("POST", "/_test/chats/\(chat)/title", json: #"{"title":"Renamed"}"#)
            #expect(renamed.status == 200)
            try expectNewTag("a title change")
            #expect(try server.request("POST", "/api/v1/chat/\(chat)/mark-read", token: alice).status == 200)
            try expectNewTag("reading the chat (its unread count)")
            #expect(try server.request("POST", "/_test/chats/\(chat)/close").status == 200)
            try expectNewTag("a status change")
        }
    }

    @Test func changesTheListDoesNotShowKeepTheTag() throws {
        try withServerProcess { server in
            let alice = try server.login("alice")
            let bob = try server.login("bob")
            let alicesChat = try server.createChat(title: "Alice's")
            try #require(try server.post(chatID: alicesChat, sender: "bob", content: "for alice") == 201)
            let before = try tag(server, token: alice)
            let carolsChat = try server.createChat(title: "Carol's", requester: "carol")
            try #require(try server.post(chatID: carolsChat, sender: "bob", content: "for carol") == 201)
            // bob reading alice's chat changes bob's unread count, not alice's.
            #expect(try server.request("POST", "/api/v1/chat/\(alicesChat)/mark-read", token: bob).status == 200)
            #expect(try conditional(server, token: alice, before).status == 304)
        }
    }

    @Test func theDeployedGenerationHasNoTags() throws {
        try withServerProcess(legacy: true) { server in
            let alice = try server.login("alice")
            let answer = try server.answer("GET", listPath, token: alice)
            #expect(answer.status == 200 && answer.headers["etag"] == nil)
            #expect(try conditional(server, token: alice, "*").status == 200)
        }
    }

    @Test func ifNoneMatchIsAListComparedWeakly() {
        let tag = "\"abc\""
        #expect(EntityTag.matches(ifNoneMatch: "\"abc\"", tag: tag))
        #expect(EntityTag.matches(ifNoneMatch: "W/\"abc\"", tag: tag))
        #expect(EntityTag.matches(ifNoneMatch: "\"x\" , \"abc\"", tag: tag))
        #expect(EntityTag.matches(ifNoneMatch: "*", tag: tag))
        #expect(!EntityTag.matches(ifNoneMatch: "", tag: tag))
        #expect(!EntityTag.matches(ifNoneMatch: "abc", tag: tag))
        #expect(!EntityTag.matches(ifNoneMatch: "\"abcd\"", tag: tag))
        #expect(EntityTag.of(Array("x".utf8)) != EntityTag.of(Array("y".utf8)))
    }
}
