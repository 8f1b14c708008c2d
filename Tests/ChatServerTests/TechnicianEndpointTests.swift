import Foundation
import TestSupport
import Testing

/// The technician endpoints over HTTP on a `--demo` server, in both generations (the
/// deployed backend has them too).
@Suite(.serialized)
struct TechnicianEndpointTests {
    private static let views = [
        "unassigned", "all_unsolved", "my_unsolved", "recently_updated", "recently_solved", "all_your_requests",
        "urgent_high_priority", "pending_requester_response", "pending_subtask", "new_today", "in_progress",
        "all_tickets", "all_solved",
    ]

    private func object(_ answer: (status: Int, body: String)) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [String: Any], "\(answer)")
    }

    private func viewPage(_ server: ReferenceServer, _ view: String, token: String) throws -> [String: Any] {
        let answer = try server.request("GET", "/api/v1/requests/technician-views?view=\(view)&per_page=100", token: token)
        try #require(answer.status == 200, "\(view): \(answer)")
        return try object(answer)
    }

    private func ids(_ page: [String: Any]) -> [String] {
        (page["data"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
    }

    @Test(arguments: [false, true])
    func loginSaysWhoIsATechnicianAndRequestersAreRefusedEverywhere(legacy: Bool) throws {
        try withServerProcess(legacy: legacy) { server in
            for (name, technician, superAdmin) in [("alice", false, false), ("bob", true, false), ("sam", true, true)] {
                let login = try object(server.request("POST", "/api/v1/auth/login", json: #"{"username":"\#(name)"}"#))
                let user = try #require(login["user"] as? [String: Any])
                #expect(user["isTechnician"] as? Bool == technician && user["isSuperAdmin"] as? Bool == superAdmin)
            }
            let alice = try server.login("alice")
            let chat = try server.createChat(title: "Mine")
            #expect(try server.request("GET", "/api/v1/requests/technician-views?view=unassigned", token: alice).status == 403)
            for action in ["take", "pickup", "assign", "unassign"] {
                #expect(try server.request("POST", "/api/v1/requests/\(chat)/\(action)", json: "{}", token: alice).status == 403)
            }
            #expect(try server.request("GET", "/api/v1/requests/technician-views?view=unassigned").status == 403)
        }
    }

    @Test(arguments: [false, true])
    func everyDemoViewOfBobHasMembersAndEveryAnswerCountsEveryView(legacy: Bool) throws {
        try withServerProcess(legacy: legacy) { server in
            let bob = try server.login("bob")
            for view in Self.views {
                let page = try viewPage(server, view, token: bob)
                let counts = try #require(page["counts"] as? [String: Int])
                #expect(counts.count == Self.views.count)
                let key = view.split(separator: "_").enumerated()
                    .map { $0.offset == 0 ? String($0.element) : $0.element.capitalized }.joined()
                #expect(counts[key] == page["total"] as? Int, "\(view)")
                #expect(!ids(page).isEmpty, "\(view) is empty")
                #expect(page["page"] as? Int == 1 && page["perPage"] as? Int == 100)
                let split = try #require(page["filterCounts"] as? [String: Int])
                #expect(split["all"] == page["total"] as? Int && split["parents"]! + split["subtasks"]! == split["all"])
            }
            let first = try #require((try viewPage(server, "my_unsolved", token: bob)["data"] as? [[String: Any]])?.first)
            for field in ["subject", "status", "requester", "requested", "dueDate", "priority", "lastMessage", "businessUnit"] {
                #expect(first[field] != nil && !(first[field] is NSNull), "\(field)")
            }
            for bad in ["view=mine", "view=unassigned&per_page=101", "view=unassigned&page=0", "per_page=5"] {
                #expect(try server.request("GET", "/api/v1/requests/technician-views?\(bad)", token: bob).status == 422)
            }
            // bob (a technician) opened one request himself: it is in his chat list too.
            #expect(try server.chats(of: "bob").map(\.title) == ["Second monitor for the help desk"])
        }
    }

    @Test(arguments: [false, true])
    func takeAssignUnassignAndMessagesOfAQueuedChat(legacy: Bool) throws {
        try withServerProcess(legacy: legacy) { server in
            let (bob, erin) = (try server.login("bob"), try server.login("erin"))
            let chat = try server.createChat(title: "Monitor flickers")
            #expect(try ids(viewPage(server, "unassigned", token: bob)).contains(chat))

            let taken = try object(server.request("POST", "/api/v1/requests/\(chat)/take", token: bob))
            #expect(taken["id"] as? String == chat && taken["statusId"] as? Int == 2)
            let again = try server.request("POST", "/api/v1/requests/\(chat)/take", token: erin)
            #expect(again.status == 400 && again.body.contains("already assigned"))
            #expect(try server.request("POST", "/api/v1/requests/\(UUID())/take", token: bob).status == 404)
            #expect(try server.request("POST", "/api/v1/requests/not-a-uuid/take", token: bob).status == 422)
            #expect(try ids(viewPage(server, "my_unsolved", token: bob)).contains(chat))
            #expect(try !ids(viewPage(server, "unassigned", token: bob)).contains(chat))

            // A technician reads, posts and marks read in a chat of its queues.
            let sent = try server.request(
                "POST", "/api/v1/chat/messages", json: #"{"requestId": "\#(chat)", "content": "On my way"}"#, token: bob)
            #expect(sent.status == 201)
            #expect(try server.messages(chatID: chat, user: "bob").count == 2)
            #expect(try server.request("POST", "/api/v1/chat/\(chat)/mark-read", token: bob).status == 200)

            // Only erin supervises IT Helpdesk.
            let erinID = try #require(try object(server.request(
                "POST", "/api/v1/auth/login", json: #"{"username":"erin"}"#))["user"] as? [String: Any])["id"] as! String
            let assign = #"{"technicianId": "\#(erinID)"}"#
            #expect(try server.request("POST", "/api/v1/requests/\(chat)/assign", json: assign, token: bob).status == 403)
            #expect(try server.request("POST", "/api/v1/requests/\(chat)/assign", json: assign, token: erin).status == 200)
            #expect(try ids(viewPage(server, "my_unsolved", token: erin)).contains(chat))
            #expect(try server.request("POST", "/api/v1/requests/\(chat)/assign", json: "{}", token: erin).status == 422)
            #expect(try server.request("POST", "/api/v1/requests/\(chat)/unassign", json: "{}", token: erin).status == 200)
            #expect(try ids(viewPage(server, "unassigned", token: bob)).contains(chat))
            #expect(try server.request("POST", "/api/v1/requests/\(chat)/pickup", token: bob).status == 200)

            try #require(try server.request("POST", "/_test/chats/\(chat)/close").status == 200)
            let closed = try server.request(
                "POST", "/api/v1/chat/messages", json: #"{"requestId": "\#(chat)", "content": "late"}"#, token: bob)
            #expect(closed.status == 400 && closed.body.contains("Cannot send message to a closed/solved task"))
            #expect(try ids(viewPage(server, "recently_solved", token: bob)).contains(chat))
            #expect(try server.request("POST", "/api/v1/requests/\(chat)/take", token: bob).status == 400)
        }
    }

    @Test func requestsOfAnotherBusinessUnitAreHiddenFromItsNonMembers() throws {
        try withServerProcess { server in
            let (bob, sam) = (try server.login("bob"), try server.login("sam"))
            let everything = try viewPage(server, "all_tickets", token: sam)["data"] as? [[String: Any]] ?? []
            let facilities = try #require(everything.first { $0["subject"] as? String == "Air conditioning too cold in room 3" })
            let id = try #require(facilities["id"] as? String)
            #expect(try !ids(viewPage(server, "all_tickets", token: bob)).contains(id))
            #expect(try server.request("GET", "/api/v1/chat/messages/request/\(id)", token: bob).status == 403)
            #expect(try server.request("POST", "/api/v1/requests/\(id)/take", token: bob).status == 403)
            #expect(try server.request("GET", "/api/v1/chat/messages/request/\(id)", token: sam).status == 200)

            // A new technician of no business unit sees nothing at all.
            let created = try server.request(
                "POST", "/_test/users", json: #"{"username": "newbie", "fullName": "New Tech", "isTechnician": true}"#)
            #expect(created.status == 201)
            let newbie = try viewPage(server, "all_tickets", token: server.login("newbie"))
            #expect(ids(newbie).isEmpty && (newbie["counts"] as? [String: Int])?.values.allSatisfy { $0 == 0 } == true)
        }
    }
}
