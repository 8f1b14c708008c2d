import GRDB

/// What a technician does to a request: `POST /requests/{id}/take|pickup|assign|unassign`.
enum DeskAction: Sendable, Equatable {
    /// Assign myself to an unassigned request and set it In Progress.
    case take
    /// Set the request In Progress; the assignees stay as they are.
    case pickup
    /// Add a technician to the assignees (supervisors of the request's business unit and
    /// super admins; assigning someone already assigned changes nothing).
    case assign(technicianID: String)
    /// Remove one technician from the assignees, or all of them when nil (same rights as assign).
    case unassign(technicianID: String?)
}

/// Why a desk action was refused.
enum DeskActionRefusal: Error, Equatable {
    case unknownRequest
    /// The caller cannot see the request through the views.
    case notVisible
    /// Assign/unassign by someone who supervises neither the request's unit nor everything.
    case notSupervisor
    /// Take or pick up a solved or closed request.
    case solved
    /// Take a request that has assignees.
    case alreadyAssigned
    /// Assign someone who is not an active technician.
    case notATechnician
}

extension ChatStore {
    /// Applies `action` by `user` in one transaction; returns the request as it is afterwards.
    func perform(_ action: DeskAction, requestID: String, by user: UserRecord, now: ServerTimestamp = .now())
        async throws -> TicketRecord
    {
        try await database.write { db in
            guard var ticket = try TicketRecord.fetchOne(db, key: requestID) else {
                throw DeskActionRefusal.unknownRequest
            }
            guard try Self.isVisibleToTechnician(db, chatID: requestID, user: user) else {
                throw DeskActionRefusal.notVisible
            }
            let assignees = RequestAssigneeRecord.filter(Column("request_id") == requestID)
            switch action {
            case .take, .pickup:
                guard !ticket.status.countAsSolved else { throw DeskActionRefusal.solved }
                if action == .take {
                    guard try assignees.fetchCount(db) == 0 else { throw DeskActionRefusal.alreadyAssigned }
                    try RequestAssigneeRecord(requestId: requestID, technicianId: user.id, assignedAt: now).insert(db)
                }
                ticket.setStatus(.inProgress, at: now)
            case .assign(let technicianID):
                try Self.requireSupervisor(db, user: user, of: ticket)
                guard let technician = try Self.user(db, id: technicianID), technician.isTechnician,
                      technician.isActive
                else { throw DeskActionRefusal.notATechnician }
                try RequestAssigneeRecord(requestId: requestID, technicianId: technician.id, assignedAt: now)
                    .insert(db, onConflict: .ignore)
                ticket.updatedAt = now
            case .unassign(let technicianID):
                try Self.requireSupervisor(db, user: user, of: ticket)
                if let technicianID {
                    try assignees.filter(Column("technician_id") == technicianID).deleteAll(db)
                } else {
                    try assignees.deleteAll(db)
                }
                ticket.updatedAt = now
            }
            try ticket.update(db)
            return ticket
        }
    }

    private static func requireSupervisor(_ db: Database, user: UserRecord, of ticket: TicketRecord) throws {
        guard !user.isSuperAdmin else { return }
        let supervises = try BusinessUnitMemberRecord
            .filter(Column("user_id") == user.id && Column("business_unit_id") == ticket.businessUnitId
                && Column("is_supervisor") == true)
            .fetchCount(db) > 0
        guard supervises else { throw DeskActionRefusal.notSupervisor }
    }
}
