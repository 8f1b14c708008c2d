import GRDB

/// The technicians' side of the store: who sees which request, and the queue views.
///
/// Queue SQL uses named arguments: `:me` (the technician), `:recentSince` and
/// `:todayStart` (see `QueueScope`).
extension ChatStore {
    /// One request of a queue page with everything a QueueItem shows.
    struct QueueEntry: Sendable {
        var ticket: TicketRecord
        var requester: UserRecord?
        var businessUnit: BusinessUnitRecord?
        var category: CategoryRecord?
        var subcategory: CategoryRecord?
        var tag: TagRecord?
        var lastMessage: MessageRecord?
        var requesterHasUnread: Bool
        var technicianHasUnread: Bool
    }

    struct QueuePage: Sendable {
        var entries: [QueueEntry]
        /// Every view's size, under the same visibility and business unit filter.
        var counts: [TechnicianView: Int]
        /// Members of the requested view: all of them, those that are no subtask, subtasks.
        var all: Int
        var parents: Int
        var subtasks: Int
    }

    /// One page of `query.view` as `viewer` sees it, with every view's count.
    func queuePage(_ query: TechnicianViewQuery, viewer: UserRecord, now: ServerTimestamp = .now()) async throws
        -> QueuePage
    {
        let scope = QueueScope(viewer: viewer, businessUnitIDs: query.businessUnitIDs, now: now)
        return try await database.read { db in
            let countColumns = TechnicianView.allCases.map { "COALESCE(SUM(\(Self.membership($0))), 0)" }
            let countRow = try Row.fetchOne(
                db, sql: "SELECT \(countColumns.joined(separator: ", ")) FROM requests r WHERE \(scope.condition)",
                arguments: scope.arguments)
            var counts: [TechnicianView: Int] = [:]
            for (index, view) in TechnicianView.allCases.enumerated() {
                let count: Int = countRow?[index] ?? 0
                counts[view] = count
            }

            let members = "\(scope.condition) AND \(Self.membership(query.view))"
            let split = try Row.fetchOne(
                db,
                sql: """
                    SELECT COUNT(*) AS total, COALESCE(SUM(r.parent_task_id IS NOT NULL), 0) AS subtasks
                    FROM requests r WHERE \(members)
                    """,
                arguments: scope.arguments)
            let total: Int = split?["total"] ?? 0
            let subtasks: Int = split?["subtasks"] ?? 0

            var arguments = scope.arguments
            _ = arguments.append(contentsOf: ["limit": query.perPage, "offset": query.offset])
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT r.*, \(Self.unreadFlagColumns) FROM requests r WHERE \(members)
                    ORDER BY \(Self.orderingSQL(query.view.order)), r.id DESC LIMIT :limit OFFSET :offset
                    """,
                arguments: arguments)
            let entries = try Self.queueEntries(db, rows: rows)
            return QueuePage(
                entries: entries, counts: counts, all: total, parents: total - subtasks, subtasks: subtasks)
        }
    }

    /// Whether `user` reaches the request through the technicians' views.
    func isVisibleToTechnician(chatID: String, user: UserRecord) async throws -> Bool {
        try await database.read { db in try Self.isVisibleToTechnician(db, chatID: chatID, user: user) }
    }

    static func isVisibleToTechnician(_ db: Database, chatID: String, user: UserRecord) throws -> Bool {
        guard user.isTechnician || user.isSuperAdmin else { return false }
        let scope = QueueScope(viewer: user, businessUnitIDs: nil, now: .now())
        var arguments = scope.arguments
        _ = arguments.append(contentsOf: ["id": chatID])
        return try Bool.fetchOne(
            db, sql: "SELECT EXISTS (SELECT 1 FROM requests r WHERE r.id = :id AND \(scope.condition))",
            arguments: arguments) ?? false
    }

    // MARK: SQL

    /// What each view holds (the rules are worded on `TechnicianView`'s cases).
    static func membership(_ view: TechnicianView) -> String {
        let solvedIDs = RequestStatus.all.filter(\.countAsSolved).map { String($0.id) }.joined(separator: ", ")
        let unsolved = "r.status_id NOT IN (\(solvedIDs))"
        let solved = "r.status_id IN (\(solvedIDs))"
        let mine = "EXISTS (SELECT 1 FROM request_assignees a WHERE a.request_id = r.id AND a.technician_id = :me)"
        let urgentIDs = [RequestPriority.high, .urgent].map { String($0.id) }.joined(separator: ", ")
        let condition =
            switch view {
            case .unassigned: "\(unsolved) AND NOT EXISTS (SELECT 1 FROM request_assignees a WHERE a.request_id = r.id)"
            case .allUnsolved: unsolved
            case .myUnsolved: "\(unsolved) AND \(mine)"
            case .recentlyUpdated: "r.updated_at >= :recentSince"
            case .recentlySolved: "\(solved) AND r.completed_at >= :recentSince"
            case .allYourRequests: mine
            case .urgentHighPriority: "\(unsolved) AND r.priority_id IN (\(urgentIDs))"
            case .pendingRequesterResponse: "r.status_id = \(RequestStatus.waitingForUser.id)"
            case .pendingSubtask:
                "\(unsolved) AND EXISTS (SELECT 1 FROM requests s WHERE s.parent_task_id = r.id AND s.status_id NOT IN (\(solvedIDs)))"
            case .newToday: "r.created_at >= :todayStart"
            case .inProgress: "r.status_id = \(RequestStatus.inProgress.id)"
            case .allTickets: "1"
            case .allSolved: solved
            }
        return "(\(condition))"
    }

    private static func orderingSQL(_ order: TechnicianView.Order) -> String {
        switch order {
        case .newestCreated: "r.created_at DESC"
        case .newestUpdated: "r.updated_at DESC"
        case .newestSolved: "r.completed_at DESC"
        }
    }

    /// `requester_has_unread`: a message not from the requester above what the requester
    /// has read. `technician_has_unread`: a message from the requester above what any
    /// technician has read (the desk as a whole has not seen it yet).
    private static let unreadFlagColumns = """
        EXISTS (SELECT 1 FROM messages m WHERE m.request_id = r.id
                AND (m.sender_id IS NULL OR m.sender_id != r.requester_id)
                AND m.sequence_number > COALESCE((SELECT rs.last_read_sequence FROM read_states rs
                    WHERE rs.request_id = r.id AND rs.user_id = r.requester_id), 0)) AS requester_has_unread,
        EXISTS (SELECT 1 FROM messages m WHERE m.request_id = r.id AND m.sender_id = r.requester_id
                AND m.sequence_number > COALESCE((SELECT MAX(rs.last_read_sequence) FROM read_states rs
                    JOIN users u ON u.id = rs.user_id WHERE rs.request_id = r.id AND u.is_technician = 1), 0))
            AS technician_has_unread
        """

    /// Completes page rows with their requester, labels and newest message.
    private static func queueEntries(_ db: Database, rows: [Row]) throws -> [QueueEntry] {
        guard !rows.isEmpty else { return [] }
        let units = Dictionary(uniqueKeysWithValues: try BusinessUnitRecord.fetchAll(db).map { ($0.id, $0) })
        let categories = Dictionary(uniqueKeysWithValues: try CategoryRecord.fetchAll(db).map { ($0.id, $0) })
        let tags = Dictionary(uniqueKeysWithValues: try TagRecord.fetchAll(db).map { ($0.id, $0) })
        return try rows.map { row in
            let ticket = try TicketRecord(row: row)
            return QueueEntry(
                ticket: ticket, requester: try user(db, id: ticket.requesterId),
                businessUnit: ticket.businessUnitId.flatMap { units[$0] },
                category: ticket.categoryId.flatMap { categories[$0] },
                subcategory: ticket.subcategoryId.flatMap { categories[$0] },
                tag: ticket.tagId.flatMap { tags[$0] },
                lastMessage: try lastMessage(db, chatID: ticket.id),
                requesterHasUnread: row["requester_has_unread"], technicianHasUnread: row["technician_has_unread"])
        }
    }
}

/// Which requests a technician's views range over, and when "recent" and "today" begin.
struct QueueScope {
    /// Visibility and the business unit filter, on `requests r`.
    let condition: String
    let arguments: StatementArguments

    init(viewer: UserRecord, businessUnitIDs: [Int64]?, now: ServerTimestamp) {
        // A super admin sees every request; a technician those of their business units and
        // those assigned to them.
        var parts = [
            viewer.isSuperAdmin
                ? "1"
                : """
                (r.business_unit_id IN (SELECT business_unit_id FROM business_unit_members WHERE user_id = :me)
                 OR EXISTS (SELECT 1 FROM request_assignees a WHERE a.request_id = r.id AND a.technician_id = :me))
                """
        ]
        if let businessUnitIDs {
            let ids = businessUnitIDs.filter { $0 != TechnicianViewQuery.noBusinessUnit }.map(String.init)
            var filter = ["r.business_unit_id IN (\(ids.joined(separator: ", ")))"]
            if businessUnitIDs.contains(TechnicianViewQuery.noBusinessUnit) { filter.append("r.business_unit_id IS NULL") }
            parts.append("(" + filter.joined(separator: " OR ") + ")")
        }
        condition = parts.joined(separator: " AND ")
        let day: Int64 = 86_400_000_000
        arguments = [
            "me": viewer.id,
            "recentSince": now.microseconds - TechnicianView.recentDays * day,
            "todayStart": now.microseconds - ((now.microseconds % day) + day) % day,
        ]
    }
}
