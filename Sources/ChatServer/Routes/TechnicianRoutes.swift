import Hummingbird

/// The technicians' queue views and desk actions (docs/api.md "Technicians: the queue views"):
/// `GET /requests/technician-views`, `POST /requests/{id}/take|pickup|assign|unassign`.
/// Only technicians and super admins; both generations serve them.
enum TechnicianRoutes {
    /// The body of assign and unassign (unassign without `technicianId` removes everyone).
    struct AssignmentBody: Decodable {
        var technicianId: String?
    }

    static func register(on api: RouterGroup<ServerRequestContext>, services: ServerServices) {
        api.get("requests/technician-views") { request, _ -> Response in
            let user = try await technician(for: request, services: services)
            let query: TechnicianViewQuery
            do throws(ValidationFailure) {
                query = try TechnicianViewQuery.parse { request.uri.queryParameters.getAll($0) }
            } catch {
                throw APIError.validation(error.issues)
            }
            let page = try await services.store.queuePage(query, viewer: user)
            return try JSONResponse.make(QueueJSON.page(page, query: query))
        }

        api.post("requests/{request_id}/take") { request, context -> Response in
            let user = try await technician(for: request, services: services)
            return try await perform(.take, by: user, context: context, services: services)
        }

        api.post("requests/{request_id}/pickup") { request, context -> Response in
            let user = try await technician(for: request, services: services)
            return try await perform(.pickup, by: user, context: context, services: services)
        }

        api.post("requests/{request_id}/assign") { request, context -> Response in
            let user = try await technician(for: request, services: services)
            let body = try await BodyReader.json(AssignmentBody.self, from: request)
            guard let raw = body.technicianId else {
                throw APIError.validation([.missing(location: ["body", "technicianId"])])
            }
            return try await perform(
                .assign(technicianID: try technicianID(raw)), by: user, context: context, services: services)
        }

        api.post("requests/{request_id}/unassign") { request, context -> Response in
            let user = try await technician(for: request, services: services)
            let body = try await BodyReader.json(AssignmentBody.self, from: request)
            return try await perform(
                .unassign(technicianID: try body.technicianId.map(technicianID)), by: user, context: context,
                services: services)
        }
    }

    /// The caller, if a technician or super admin (FastAPI's dependency order: 403/401 for
    /// the token, then 403 for the role, before any 422).
    private static func technician(for request: Request, services: ServerServices) async throws -> UserRecord {
        let user = try await services.authenticator.user(for: request)
        guard user.isTechnician || user.isSuperAdmin else {
            throw APIError.forbidden("Only technicians can access the request queues")
        }
        return user
    }

    private static func technicianID(_ raw: String) throws(APIError) -> String {
        guard let id = UUIDText.normalized(raw) else {
            throw .validation([.uuidParsing(location: ["body", "technicianId"], input: raw)])
        }
        return id
    }

    private static func perform(
        _ action: DeskAction, by user: UserRecord, context: ServerRequestContext, services: ServerServices
    ) async throws -> Response {
        let requestID = try context.uuidParameter("request_id")
        do {
            let ticket = try await services.store.perform(action, requestID: requestID, by: user)
            return try JSONResponse.make(RequestJSON.render(ticket))
        } catch let refusal as DeskActionRefusal {
            throw APIError(refusal)
        }
    }
}

extension APIError {
    init(_ refusal: DeskActionRefusal) {
        switch refusal {
        case .unknownRequest: self = .notFound("Request not found")
        case .notVisible: self = .forbidden("Not authorized to access this request")
        case .notSupervisor:
            self = .forbidden("Only a supervisor of the request's business unit or a super admin can change assignees")
        case .solved: self = .badRequest("Cannot take or pick up a closed/solved task")
        case .alreadyAssigned: self = .badRequest("Request is already assigned to a technician")
        case .notATechnician: self = .badRequest("technicianId is not an active technician")
        }
    }
}
