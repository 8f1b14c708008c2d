/// The technicians' queue views of `GET /requests/technician-views` and their membership
/// rules. Every view lists only requests the technician can see (see
/// `ChatStore.visibilityCondition`); "solved" means the status counts as solved (Solved,
/// Closed), "unsolved" the others; "assigned to me" means a row in `request_assignees`.
/// "Recent" is the last `recentDays` days; "today" starts at 00:00 UTC.
enum TechnicianView: String, Sendable, CaseIterable {
    /// Unsolved, with no assignee.
    case unassigned
    /// Unsolved.
    case allUnsolved = "all_unsolved"
    /// Unsolved and assigned to me.
    case myUnsolved = "my_unsolved"
    /// Changed (status, assignment, a new message) in the recent window, any status.
    case recentlyUpdated = "recently_updated"
    /// Solved, and solved (`completedAt`) in the recent window.
    case recentlySolved = "recently_solved"
    /// Assigned to me, any status.
    case allYourRequests = "all_your_requests"
    /// Unsolved with priority High or Urgent.
    case urgentHighPriority = "urgent_high_priority"
    /// Status "Waiting for User": the desk waits for the requester's answer.
    case pendingRequesterResponse = "pending_requester_response"
    /// Unsolved, with at least one unsolved subtask (a request whose `parentTaskId` is it).
    case pendingSubtask = "pending_subtask"
    /// Opened today (UTC), any status.
    case newToday = "new_today"
    /// Status "In Progress".
    case inProgress = "in_progress"
    /// Every request I can see.
    case allTickets = "all_tickets"
    /// Solved, whenever.
    case allSolved = "all_solved"

    static let recentDays: Int64 = 7

    /// The view's field in the answer's `counts`: camelCase, like every response key.
    var countKey: String {
        let words = rawValue.split(separator: "_")
        return String(words[0]) + words.dropFirst().map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }

    /// Ordering of a view's page: the most relevant first, ties by id so pages are stable.
    enum Order {
        case newestCreated, newestUpdated, newestSolved
    }

    var order: Order {
        switch self {
        case .recentlyUpdated: .newestUpdated
        case .recentlySolved: .newestSolved
        default: .newestCreated
        }
    }
}
