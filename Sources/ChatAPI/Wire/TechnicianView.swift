/// A technician queue view of `GET /requests/technician-views` (docs/api.md "Technicians: the
/// queue views"). The raw value is the `view` query parameter.
public enum TechnicianView: String, Sendable, CaseIterable, Hashable {
    case unassigned
    case allUnsolved = "all_unsolved"
    case myUnsolved = "my_unsolved"
    case recentlyUpdated = "recently_updated"
    case recentlySolved = "recently_solved"
    case allYourRequests = "all_your_requests"
    case urgentHighPriority = "urgent_high_priority"
    case pendingRequesterResponse = "pending_requester_response"
    case pendingSubtask = "pending_subtask"
    case newToday = "new_today"
    case inProgress = "in_progress"
    case allTickets = "all_tickets"
    case allSolved = "all_solved"

    /// The view's field in the answer's `counts` (camelCase, like every response key).
    public var countKey: String {
        let words = rawValue.split(separator: "_")
        return words.enumerated().map { index, word in
            index == 0 ? String(word) : word.prefix(1).uppercased() + word.dropFirst()
        }.joined()
    }
}
