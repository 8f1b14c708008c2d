import Hummingbird

/// `GET /chat/page-data`: the caller's requests, newest first; technicians get none.
enum ChatListRoutes {
    static func register(on api: RouterGroup<ServerRequestContext>, services: ServerServices) {
        api.get("chat/page-data") { request, _ -> Response in
            let user = try await services.authenticator.user(for: request)
            let entries = user.isTechnician ? [] : try await services.store.chatList(requesterID: user.id)
            return try JSONResponse.make(ChatListJSON.pageData(entries, viewer: user, generation: services.generation))
        }
    }
}
