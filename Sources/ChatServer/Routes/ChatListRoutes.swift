import Hummingbird

/// `GET /chat/page-data`: the requests the caller opened, newest first. A technician's
/// queues are not here (they have their own endpoint): most technicians get an empty list.
/// The delta generation tags the answer (`ETag`) and answers a matching `If-None-Match`
/// with 304 and no body (docs/api.md, "The chat list"); the deployed backend has no ETags.
enum ChatListRoutes {
    static func register(on api: RouterGroup<ServerRequestContext>, services: ServerServices) {
        api.get("chat/page-data") { request, _ -> Response in
            let user = try await services.authenticator.user(for: request)
            let entries = try await services.store.chatList(requesterID: user.id)
            let body = try JSONResponse.encode(
                ChatListJSON.pageData(entries, viewer: user, generation: services.generation))
            guard services.generation == .delta, let tag = EntityTag.of(body) else {
                return JSONResponse.make(encoded: body)
            }
            let ifNoneMatch = request.headers[values: .ifNoneMatch].joined(separator: ",")
            if EntityTag.matches(ifNoneMatch: ifNoneMatch, tag: tag) {
                return Response(status: .notModified, headers: [.eTag: tag])
            }
            return JSONResponse.make(encoded: body, headers: [.eTag: tag])
        }
    }
}
