import Testing

@testable import ChatServer

/// The help desk `--demo` seeds: every queue of bob's has members, whenever it is seeded.
@Suite(.serialized)
struct DemoHelpDeskTests {
    @Test(arguments: [
        HelpDeskFixture.now,
        // Seeded a minute after midnight: today's requests must still be today's.
        ServerTimestamp(microseconds: HelpDeskFixture.now.microseconds - 12 * HelpDeskFixture.hour + 60_000_000),
    ])
    func everyViewOfBobHasMembers(now: ServerTimestamp) async throws {
        let store = ChatStore(database: try ServerDatabase.open(path: nil))
        try await DemoData.seed(into: store, now: now)
        let bob = try #require(try await store.user(username: "bob"))
        let page = try await store.queuePage(TechnicianViewQuery(view: .allTickets), viewer: bob, now: now)
        // docs/api.md lists these ("--demo"): keep them in step.
        let documented: [TechnicianView: Int] = [
            .unassigned: 13, .allUnsolved: 30, .myUnsolved: 7, .recentlyUpdated: 8, .recentlySolved: 2,
            .allYourRequests: 10, .urgentHighPriority: 8, .pendingRequesterResponse: 5, .pendingSubtask: 1,
            .newToday: 2, .inProgress: 10, .allTickets: 23 + 2 + 9, .allSolved: 4,
        ]
        #expect(page.counts == documented)
        let alice = try #require(try await store.user(username: "alice"))
        #expect(try await store.chatList(requesterID: alice.id).count == 23)
        #expect(try await store.chatList(requesterID: bob.id).map(\.chat.title) == ["Second monitor for the help desk"])
    }

    @Test func theOtherUnitIsSeenOnlyByTheSuperAdminAndErinSupervises() async throws {
        let store = ChatStore(database: try ServerDatabase.open(path: nil))
        try await DemoData.seed(into: store, now: HelpDeskFixture.now)
        let sam = try #require(try await store.user(username: "sam"))
        let bob = try #require(try await store.user(username: "bob"))
        let erin = try #require(try await store.user(username: "erin"))
        #expect(sam.isSuperAdmin && erin.isTechnician && !bob.isSuperAdmin)
        let query = TechnicianViewQuery(view: .allTickets, perPage: 100)
        let all = try await store.queuePage(query, viewer: sam, now: HelpDeskFixture.now)
        let facilities = try #require(all.entries.first { $0.businessUnit?.name == "Facilities" })
        #expect(all.all == 23 + 2 + 10)
        #expect(try await !store.isVisibleToTechnician(chatID: facilities.ticket.id, user: bob))

        let unassigned = try await store.queuePage(
            TechnicianViewQuery(view: .unassigned), viewer: bob, now: HelpDeskFixture.now)
        let target = try #require(unassigned.entries.first).ticket.id
        _ = try await store.perform(.assign(technicianID: bob.id), requestID: target, by: erin)
        await #expect(throws: DeskActionRefusal.alreadyAssigned) {
            try await store.perform(.take, requestID: target, by: erin)
        }
    }
}
