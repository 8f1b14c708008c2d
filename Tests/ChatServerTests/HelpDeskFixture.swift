import GRDB

@testable import ChatServer

/// An in-memory help desk at a fixed moment, with known queue membership (see `tickets`).
///
/// Units: IT (bob; erin supervises) and Facilities (nobody). nora is a technician of no
/// unit, sam a super admin of none, alice and frank requesters.
struct HelpDeskFixture {
    /// 2026-12-01T12:00:00Z.
    static let now = ServerTimestamp(microseconds: 1_796_126_400_000_000)
    static let hour: Int64 = 3_600_000_000
    static let day: Int64 = 24 * hour

    let store: ChatStore
    let alice: UserRecord
    let frank: UserRecord
    let bob: UserRecord
    let erin: UserRecord
    let nora: UserRecord
    let sam: UserRecord
    let it: BusinessUnitRecord
    let facilities: BusinessUnitRecord
    /// r1...r8, by name.
    let tickets: [String: TicketRecord]

    init() async throws {
        store = ChatStore(database: try ServerDatabase.open(path: nil))
        func user(_ name: String, technician: Bool = false, superAdmin: Bool = false) -> UserRecord {
            UserRecord(
                id: ChatStore.newID(), username: name, email: "\(name)@example.com", fullName: name.capitalized,
                title: nil, isActive: true, isTechnician: technician, isSuperAdmin: superAdmin,
                createdAt: ServerTimestamp(microseconds: Self.now.microseconds - 100 * Self.day))
        }
        alice = user("alice")
        frank = user("frank")
        bob = user("bob", technician: true)
        erin = user("erin", technician: true)
        nora = user("nora", technician: true)
        sam = user("sam", technician: true, superAdmin: true)
        it = BusinessUnitRecord(id: 1, name: "IT")
        facilities = BusinessUnitRecord(id: 2, name: "Facilities")

        let requesterID = alice.id
        func ticket(
            _ title: String, status: RequestStatus = .open, priority: RequestPriority = .medium,
            unit: BusinessUnitRecord?, createdAgo: Int64, updatedAgo: Int64? = nil, parent: TicketRecord? = nil
        ) -> TicketRecord {
            var ticket = TicketRecord(
                id: ChatStore.newID(), title: title, requesterID: requesterID, status: status, priority: priority,
                businessUnitID: unit?.id, createdAt: ServerTimestamp(microseconds: Self.now.microseconds - createdAgo))
            if let updatedAgo {
                ticket.updatedAt = ServerTimestamp(microseconds: Self.now.microseconds - updatedAgo)
                if status.countAsSolved { ticket.completedAt = ticket.updatedAt }
            }
            ticket.parentTaskId = parent?.id
            return ticket
        }
        let r1 = ticket("r1 open urgent today", priority: .urgent, unit: it, createdAgo: Self.hour)
        let r2 = ticket("r2 bob in progress", status: .inProgress, priority: .high, unit: it, createdAgo: 3 * Self.day)
        let r3 = ticket("r3 bob waiting", status: .waitingForUser, unit: it, createdAgo: 10 * Self.day)
        let r4 = ticket(
            "r4 bob solved lately", status: .solved, unit: it, createdAgo: 5 * Self.day, updatedAgo: 2 * Self.day,
            parent: r2)
        let r5 = ticket("r5 open subtask", priority: .low, unit: it, createdAgo: 3 * Self.day - Self.hour, parent: r2)
        let r6 = ticket(
            "r6 erin closed long ago", status: .closed, unit: it, createdAgo: 40 * Self.day, updatedAgo: 30 * Self.day)
        let r7 = ticket("r7 facilities", unit: facilities, createdAgo: 2 * Self.hour)
        let r8 = ticket("r8 no unit", unit: nil, createdAgo: 20 * Self.day)
        tickets = ["r1": r1, "r2": r2, "r3": r3, "r4": r4, "r5": r5, "r6": r6, "r7": r7, "r8": r8]

        let users = [alice, frank, bob, erin, nora, sam]
        let units = [it, facilities]
        let (bobID, erinID) = (bob.id, erin.id)
        try await store.database.write { db in
            for user in users { try ChatStore.insertUser(db, user) }
            for unit in units { try unit.insert(db) }
            try BusinessUnitMemberRecord(businessUnitId: 1, userId: bobID, isSupervisor: false).insert(db)
            try BusinessUnitMemberRecord(businessUnitId: 1, userId: erinID, isSupervisor: true).insert(db)
        }
        for ticket in [r1, r2, r3, r4, r5, r6, r7, r8] {
            _ = try await store.createChat(ticket)
        }
        try await assign([r2, r3, r4], to: bob)
        try await assign([r6], to: erin)
    }

    func assign(_ tickets: [TicketRecord], to technician: UserRecord) async throws {
        try await store.database.write { db in
            for ticket in tickets {
                try RequestAssigneeRecord(requestId: ticket.id, technicianId: technician.id, assignedAt: Self.now)
                    .insert(db)
            }
        }
    }

    /// The names (r1...) of `view`'s members as `viewer` sees them, in page order.
    func members(
        _ view: TechnicianView, as viewer: UserRecord, units: [Int64]? = nil
    ) async throws -> [String] {
        let page = try await store.queuePage(
            TechnicianViewQuery(view: view, perPage: 100, businessUnitIDs: units), viewer: viewer, now: Self.now)
        return page.entries.map { name(of: $0.ticket.id) }
    }

    func name(of id: String) -> String {
        tickets.first { $0.value.id == id }?.key ?? id
    }
}
