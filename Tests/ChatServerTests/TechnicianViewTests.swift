import Testing

@testable import ChatServer

/// Each view's membership, counts, ordering and paging against `HelpDeskFixture`.
struct TechnicianViewTests {
    /// What bob (IT) sees in each view, newest first (r4 and r5 are subtasks of r2).
    static let bobsViews: [TechnicianView: [String]] = [
        .unassigned: ["r1", "r5"],
        .allUnsolved: ["r1", "r5", "r2", "r3"],
        .myUnsolved: ["r2", "r3"],
        .recentlyUpdated: ["r1", "r4", "r5", "r2"],
        .recentlySolved: ["r4"],
        .allYourRequests: ["r2", "r4", "r3"],
        .urgentHighPriority: ["r1", "r2"],
        .pendingRequesterResponse: ["r3"],
        .pendingSubtask: ["r2"],
        .newToday: ["r1"],
        .inProgress: ["r2"],
        .allTickets: ["r1", "r5", "r2", "r4", "r3", "r6"],
        .allSolved: ["r4", "r6"],
    ]

    @Test func everyViewHoldsWhatItsRuleSaysAndCountsAgree() async throws {
        let desk = try await HelpDeskFixture()
        for (view, expected) in Self.bobsViews {
            #expect(try await desk.members(view, as: desk.bob) == expected, "\(view)")
        }
        let page = try await desk.store.queuePage(
            TechnicianViewQuery(view: .unassigned), viewer: desk.bob, now: HelpDeskFixture.now)
        #expect(page.counts == Self.bobsViews.mapValues(\.count))
    }

    @Test func aSuperAdminSeesEverythingAndATechnicianOfNoUnitNothing() async throws {
        let desk = try await HelpDeskFixture()
        #expect(try await desk.members(.allTickets, as: desk.sam).sorted() == desk.tickets.keys.sorted())
        #expect(try await desk.members(.unassigned, as: desk.sam) == ["r1", "r7", "r5", "r8"])
        let nothing = try await desk.store.queuePage(
            TechnicianViewQuery(view: .allTickets), viewer: desk.nora, now: HelpDeskFixture.now)
        #expect(nothing.entries.isEmpty)
        #expect(nothing.counts.values.allSatisfy { $0 == 0 } && nothing.counts.count == TechnicianView.allCases.count)
    }

    @Test func aRequestAssignedOutsideTheTechniciansUnitsIsVisibleToThem() async throws {
        let desk = try await HelpDeskFixture()
        try await desk.assign([desk.tickets["r7"]!], to: desk.nora)
        #expect(try await desk.members(.allTickets, as: desk.nora) == ["r7"])
        #expect(try await desk.members(.myUnsolved, as: desk.nora) == ["r7"])
        #expect(try await desk.store.isVisibleToTechnician(chatID: desk.tickets["r7"]!.id, user: desk.nora))
        #expect(try await !desk.store.isVisibleToTechnician(chatID: desk.tickets["r7"]!.id, user: desk.bob))
        #expect(try await !desk.store.isVisibleToTechnician(chatID: desk.tickets["r1"]!.id, user: desk.alice))
    }

    @Test func theBusinessUnitFilterNarrowsMembersAndCounts() async throws {
        let desk = try await HelpDeskFixture()
        #expect(try await desk.members(.allTickets, as: desk.sam, units: [2]) == ["r7"])
        #expect(try await desk.members(.allTickets, as: desk.sam, units: [TechnicianViewQuery.noBusinessUnit]) == ["r8"])
        #expect(try await desk.members(.unassigned, as: desk.sam, units: [2, -1]) == ["r7", "r8"])
        // A filter never widens what a technician sees.
        #expect(try await desk.members(.allTickets, as: desk.bob, units: [2]).isEmpty)
        let page = try await desk.store.queuePage(
            TechnicianViewQuery(view: .allTickets, businessUnitIDs: [1]), viewer: desk.sam, now: HelpDeskFixture.now)
        #expect(page.counts[.allTickets] == 6 && page.counts[.newToday] == 1)
    }

    @Test func pagesSplitTheViewWithoutOverlapAndSayTheTotals() async throws {
        let desk = try await HelpDeskFixture()
        var seen: [String] = []
        for number in 1...4 {
            let page = try await desk.store.queuePage(
                TechnicianViewQuery(view: .allTickets, page: Int64(number), perPage: 2), viewer: desk.bob,
                now: HelpDeskFixture.now)
            #expect(page.all == 6 && page.parents == 4 && page.subtasks == 2)
            #expect(page.entries.count == (number <= 3 ? 2 : 0))
            seen += page.entries.map { desk.name(of: $0.ticket.id) }
        }
        #expect(seen == Self.bobsViews[.allTickets])
        let absurd = try await desk.store.queuePage(
            TechnicianViewQuery(view: .allTickets, page: .max, perPage: 100), viewer: desk.bob, now: HelpDeskFixture.now)
        #expect(absurd.entries.isEmpty && absurd.all == 6)
    }

    @Test func entriesCarryLabelsLastMessageAndUnreadFlags() async throws {
        let desk = try await HelpDeskFixture()
        let r2 = desk.tickets["r2"]!
        _ = try await desk.store.appendMessage(
            chatID: r2.id, senderID: desk.bob.id, content: "On it", clientTempID: nil, deduplicate: false,
            createdAt: HelpDeskFixture.now)
        func entry() async throws -> ChatStore.QueueEntry {
            let page = try await desk.store.queuePage(
                TechnicianViewQuery(view: .inProgress), viewer: desk.bob, now: HelpDeskFixture.now)
            return try #require(page.entries.first { $0.ticket.id == r2.id })
        }
        var item = try await entry()
        #expect(item.businessUnit == desk.it)
        #expect(item.requester?.username == "alice")
        #expect(item.lastMessage?.content == "On it" && item.lastMessage?.sequenceNumber == 2)
        #expect(item.requesterHasUnread && item.technicianHasUnread)  // nobody read anything yet

        _ = try await desk.store.markRead(chatID: r2.id, userID: desk.erin.id)  // any technician counts
        _ = try await desk.store.markRead(chatID: r2.id, userID: desk.alice.id)
        item = try await entry()
        #expect(!item.requesterHasUnread && !item.technicianHasUnread)
        #expect(item.ticket.updatedAt == HelpDeskFixture.now)  // a message is activity
    }
}
