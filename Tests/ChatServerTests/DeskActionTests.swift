import GRDB
import Testing

@testable import ChatServer

/// take, pickup, assign and unassign against `HelpDeskFixture`.
struct DeskActionTests {
    private func assignees(_ desk: HelpDeskFixture, _ name: String) async throws -> Set<String> {
        let id = desk.tickets[name]!.id
        return try await desk.store.database.read { db in
            Set(try RequestAssigneeRecord.filter(Column("request_id") == id).fetchAll(db).map(\.technicianId))
        }
    }

    @Test func takeAssignsTheCallerOnceAndSetsInProgress() async throws {
        let desk = try await HelpDeskFixture()
        let r1 = desk.tickets["r1"]!
        let taken = try await desk.store.perform(.take, requestID: r1.id, by: desk.bob, now: HelpDeskFixture.now)
        #expect(taken.status == .inProgress && taken.updatedAt == HelpDeskFixture.now)
        #expect(try await assignees(desk, "r1") == [desk.bob.id])
        #expect(try await desk.members(.myUnsolved, as: desk.bob).contains("r1"))
        #expect(try await !desk.members(.unassigned, as: desk.bob).contains("r1"))

        await #expect(throws: DeskActionRefusal.alreadyAssigned) {
            try await desk.store.perform(.take, requestID: r1.id, by: desk.erin)
        }
        await #expect(throws: DeskActionRefusal.alreadyAssigned) {  // also for the one who took it
            try await desk.store.perform(.take, requestID: r1.id, by: desk.bob)
        }
        await #expect(throws: DeskActionRefusal.unknownRequest) {
            try await desk.store.perform(.take, requestID: ChatStore.newID(), by: desk.bob)
        }
        await #expect(throws: DeskActionRefusal.notVisible) {
            try await desk.store.perform(.take, requestID: desk.tickets["r7"]!.id, by: desk.bob)
        }
        await #expect(throws: DeskActionRefusal.solved) {
            try await desk.store.perform(.take, requestID: desk.tickets["r6"]!.id, by: desk.erin)
        }
    }

    @Test func pickupOnlyChangesTheStatus() async throws {
        let desk = try await HelpDeskFixture()
        let picked = try await desk.store.perform(.pickup, requestID: desk.tickets["r5"]!.id, by: desk.bob)
        #expect(picked.status == .inProgress)
        #expect(try await assignees(desk, "r5").isEmpty)
        #expect(try await desk.members(.unassigned, as: desk.bob, units: nil).contains("r5"))
    }

    @Test func supervisorsAndSuperAdminsAssignAndUnassign() async throws {
        let desk = try await HelpDeskFixture()
        let r1 = desk.tickets["r1"]!.id
        await #expect(throws: DeskActionRefusal.notSupervisor) {
            try await desk.store.perform(.assign(technicianID: desk.bob.id), requestID: r1, by: desk.bob)
        }
        let assigned = try await desk.store.perform(.assign(technicianID: desk.bob.id), requestID: r1, by: desk.erin)
        #expect(assigned.status == .open)  // assigning does not start the work
        _ = try await desk.store.perform(.assign(technicianID: desk.bob.id), requestID: r1, by: desk.erin)  // no-op
        _ = try await desk.store.perform(.assign(technicianID: desk.nora.id), requestID: r1, by: desk.erin)
        #expect(try await assignees(desk, "r1") == [desk.bob.id, desk.nora.id])
        await #expect(throws: DeskActionRefusal.notATechnician) {
            try await desk.store.perform(.assign(technicianID: desk.frank.id), requestID: r1, by: desk.erin)
        }

        _ = try await desk.store.perform(.unassign(technicianID: desk.nora.id), requestID: r1, by: desk.erin)
        #expect(try await assignees(desk, "r1") == [desk.bob.id])
        _ = try await desk.store.perform(.unassign(technicianID: nil), requestID: r1, by: desk.erin)
        #expect(try await assignees(desk, "r1").isEmpty)

        // erin supervises IT only; sam (super admin) anything, and the assignee then sees it.
        let r7 = desk.tickets["r7"]!.id
        await #expect(throws: DeskActionRefusal.notVisible) {
            try await desk.store.perform(.assign(technicianID: desk.erin.id), requestID: r7, by: desk.erin)
        }
        _ = try await desk.store.perform(.assign(technicianID: desk.bob.id), requestID: r7, by: desk.sam)
        #expect(try await desk.members(.myUnsolved, as: desk.bob).contains("r7"))
    }
}
