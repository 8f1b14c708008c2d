import ChatAPI
import Foundation
import Testing
import TestSupport

extension ReferenceServerTests {
    /// The technician queue views and desk actions against the demo help desk.
    @Suite struct Technician {
        @Test(arguments: ReferenceServerTests.generations)
        func aTechnicianSeesQueuesTakesOnceAndWorksTheChat(_ generation: ServerGeneration) throws {
            let server = try server(generation)
            let bob = try client(server, user: "bob")
            let login = try bob.login()
            #expect(login.user.isTechnician == true && login.user.isSuperAdmin == false)
            let chatID = try server.createChat(title: "Docking station <dead> & cold")

            let unassigned = try bob.technicianView(.unassigned)
            #expect(Set(unassigned.counts.keys) == Set(TechnicianView.allCases))
            #expect(unassigned.total == unassigned.counts[.unassigned])
            let item = try #require(unassigned.items.first { $0.id == chatID })
            #expect(item.subject == "Docking station <dead> & cold")
            #expect(item.status?.name == "Open" && item.status?.countAsSolved == false)
            #expect(item.priority?.name == "Medium" && item.businessUnit?.name == "IT Helpdesk")
            #expect(item.requester?.fullName == "Alice Example" && item.lastMessage?.sequenceNumber == 1)
            #expect(item.dueDate != nil && item.requested != nil)

            let taken = try bob.take(requestID: chatID)
            #expect(taken.id == chatID && taken.statusId == 2)
            #expect(try bob.technicianView(.myUnsolved).items.contains { $0.id == chatID })
            #expect(try !bob.technicianView(.unassigned).items.contains { $0.id == chatID })
            #expect {
                try client(server, user: "erin").take(requestID: chatID)
            } throws: { error in
                (error as? APIError)?.isAlreadyAssigned == true
            }
            #expect(throws: APIError.permanent(status: 404, detail: "Request not found")) {
                try bob.take(requestID: UUID().uuidString.lowercased())
            }

            let sent = try bob.send(OutgoingMessage(chatID: chatID, content: "I'll bring a new one"))
            #expect(sent.sequenceNumber == 2 && sent.sender?.username == "bob")
            #expect(try bob.messages(chatID: chatID, .newest(limit: 10)).messages.map(\.sequenceNumber) == [1, 2])
            _ = try bob.markRead(chatID: chatID)
            let requesterSide = try client(server).messages(chatID: chatID, .newest(limit: 10)).messages
            #expect(requesterSide.last?.text == "I'll bring a new one")
        }

        @Test(arguments: ReferenceServerTests.generations)
        func aSupervisorAssignsAndUnassigns(_ generation: ServerGeneration) throws {
            let server = try server(generation)
            let erin = try client(server, user: "erin")
            let bobID = try client(server, user: "bob").login().user.id
            let chatID = try server.createChat(title: "Assign me")
            try erin.assign(requestID: chatID, technicianID: bobID)
            #expect(try client(server, user: "bob").technicianView(.allYourRequests).items.contains { $0.id == chatID })
            #expect(throws: APIError.self) { try client(server, user: "bob").unassign(requestID: chatID) }
            try erin.unassign(requestID: chatID, technicianID: bobID)
            try erin.pickup(requestID: chatID)
            let unassigned = try erin.technicianView(.unassigned).items.first { $0.id == chatID }
            #expect(unassigned?.status?.name == "In Progress")
        }

        @Test(arguments: ReferenceServerTests.generations)
        func requestersAreRefusedTheQueues(_ generation: ServerGeneration) throws {
            let alice = try client(try server(generation))
            #expect {
                try alice.technicianView(.unassigned)
            } throws: { error in
                guard case .permanent(status: 403, _) = error as? APIError else { return false }
                return true
            }
            let chatID = try alice.chatList().first!.id
            #expect { try alice.take(requestID: chatID) } throws: { error in
                guard case .permanent(status: 403, _) = error as? APIError else { return false }
                return true
            }
        }

        @Test func pagingCoversAViewExactlyOnce() throws {
            let bob = try client(try server(.delta), user: "bob")
            var ids: [String] = []
            var page = 1
            var total = 0
            while true {
                let answer = try bob.technicianView(.allTickets, page: page, perPage: 7)
                total = answer.total
                if answer.items.isEmpty { break }
                #expect(answer.items.count <= 7)
                ids += answer.items.map(\.id)
                page += 1
            }
            #expect(ids.count == total && Set(ids).count == total && total > 30)
        }
    }
}
