import Hummingbird

/// `GET /chat/page-data`: the requests the caller opened, newest first. A technician's
/// queues are not here (they have their own endpoint): most technicians get an empty list.
enum ChatListRoutes {
    static func register(on api: RouterGroup<ServerRequestContext>, services: ServerServices) {
        api.get("chat/page-data") { request, _ -> Response in
            let user = try await services.authenticator.user(for: request)
            let entries = try await services.store.chatList(requesterID: user.id)
            return try JSONResponse.make(ChatListJSON.pageData(entries, viewer: user, generation: services.generation))
        }
    }
}
