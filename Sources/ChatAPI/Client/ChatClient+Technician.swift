import Foundation

/// The technicians' side of the API (docs/api.md "Technicians: the queue views"). A
/// non-technician gets `.permanent(status: 403, …)` from all of these.
extension ChatClient {
    /// The largest `perPage` servers accept.
    public static let maxQueuePageSize = 100

    /// One page (from 1) of a queue view, with every view's count in `counts`.
    public func technicianView(_ view: TechnicianView, page: Int = 1, perPage: Int = maxQueuePageSize)
        throws(APIError) -> TechnicianViewPage
    {
        let query = [("view", view.rawValue), ("page", String(page)), ("per_page", String(perPage))]
        return try fetch(TechnicianViewPage.self, Call(
            method: .get, path: "/requests/technician-views", query: query.map { (name: $0.0, value: $0.1) }))
    }

    /// Assigns the caller to an unassigned request and sets it in progress. A request that
    /// already has an assignee is refused with `.permanent(status: 400, …)` (see
    /// `isAlreadyAssigned`), also when the assignee is the caller: after an `.ambiguous`
    /// take, look for the request in `.allYourRequests` before treating that as a refusal.
    @discardableResult
    public func take(requestID: String) throws(APIError) -> HelpDeskRequest {
        try requestAction("take", requestID: requestID)
    }

    /// Sets the request in progress without changing who is assigned.
    @discardableResult
    public func pickup(requestID: String) throws(APIError) -> HelpDeskRequest {
        try requestAction("pickup", requestID: requestID)
    }

    /// Adds a technician to the request's assignees (supervisors and super admins only).
    @discardableResult
    public func assign(requestID: String, technicianID: String) throws(APIError) -> HelpDeskRequest {
        try requestAction("assign", requestID: requestID, body: AssignmentBody(technicianId: technicianID))
    }

    /// Removes a technician from the assignees, or everyone when `technicianID` is nil
    /// (supervisors and super admins only).
    @discardableResult
    public func unassign(requestID: String, technicianID: String? = nil) throws(APIError) -> HelpDeskRequest {
        try requestAction("unassign", requestID: requestID, body: AssignmentBody(technicianId: technicianID))
    }

    private struct AssignmentBody: Encodable {
        var technicianId: String?
    }

    private func requestAction(_ action: String, requestID: String, body: AssignmentBody? = nil)
        throws(APIError) -> HelpDeskRequest
    {
        let encoded = try body.map { body throws(APIError) in try Self.encode(body) }
        return try fetch(HelpDeskRequest.self, Call(
            method: .post, path: "/requests/\(Self.segment(requestID))/\(action)", body: encoded.map { .bytes($0) }))
    }
}

extension APIError {
    /// A take refused because the request already has an assignee (HTTP 400 "… already
    /// assigned …"): permanent, and worth showing as "someone else took it".
    public var isAlreadyAssigned: Bool {
        guard case .permanent(400, let detail) = self else { return false }
        return detail.localizedCaseInsensitiveContains("already assigned")
    }
}
