import ChatAPI
import Foundation
import Testing
import TestSupport

extension ReferenceServerTests {
    @Suite struct Login {
        @Test(arguments: ReferenceServerTests.generations)
        func logsInAndListsOnlyTheCallersChatsNewestFirst(_ generation: ServerGeneration) throws {
            let server = try server(generation)
            let client = try client(server)
            let login = try client.login()
            #expect(login.user.username == "alice")
            #expect(login.user.isTechnician == false)

            let chats = try client.chatList()
            let expected = try server.chats()
            #expect(chats.map(\.id) == expected.map(\.id))
            #expect(chats.map(\.title) == expected.map(\.title))
            #expect(chats.map(\.lastMessageSequence) == expected.map(\.lastSequence))
            #expect(chats.contains { $0.title == "VPN / remote access" })
            #expect(!chats.contains { $0.title.hasPrefix("Carol") })
            let creationTimes = chats.compactMap(\.createdAt)
            #expect(creationTimes.count == chats.count)
            #expect(creationTimes == creationTimes.sorted(by: >))
        }

        @Test(arguments: ReferenceServerTests.generations)
        func refusedLoginsAreAuthenticationFailures(_ generation: ServerGeneration) throws {
            let server = try server(generation)
            #expect(throws: APIError.authenticationFailed("User not found")) {
                try client(server, user: "nobody").chatList()
            }
            #expect(throws: APIError.authenticationFailed("Account is inactive")) {
                try client(server, user: "dave").login()
            }
        }

        /// Issue 12, defect 3, on the wire: the token of an account made inactive is refused
        /// (401) and so is the login that follows (403): a login refusal, not an outage.
        @Test func anAccountMadeInactiveIsALoginRefusalUntilItIsActiveAgain() throws {
            let server = try server(.delta)
            // A user of its own: the servers are shared by the suite.
            try #require(try server.request("POST", "/_test/users", json: #"{"username":"mallory"}"#).status == 201)
            let client = try client(server, user: "mallory")
            _ = try client.chatList()
            try #require(try server.request("POST", "/_test/users/mallory/active", json: #"{"active":false}"#).status == 200)
            #expect(throws: APIError.authenticationFailed("Account is inactive")) { try client.chatList() }
            try #require(try server.request("POST", "/_test/users/mallory/active", json: #"{"active":true}"#).status == 200)
            _ = try client.chatList()
            #expect(try server.request("POST", "/_test/users/nobody/active", json: #"{"active":true}"#).status == 404)
        }

        @Test func revokedTokensAreReplacedByATransparentLogin() throws {
            let server = try server(.delta)
            let store = MemoryTokenStore(nil)
            let client = try client(server, tokenStore: store)
            _ = try client.chatList()
            let firstToken = try #require(store.load())

            try #require(try server.request("POST", "/_test/tokens/revoke").status == 200)
            #expect(try server.request("GET", "/api/v1/chat/page-data", token: firstToken).status == 401)

            #expect(try !client.chatList().isEmpty)
            let secondToken = try #require(store.load())
            #expect(secondToken != firstToken)
            #expect(try server.request("GET", "/api/v1/chat/page-data", token: secondToken).status == 200)
        }
    }
}
