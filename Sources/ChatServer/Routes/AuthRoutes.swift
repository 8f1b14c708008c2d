import Hummingbird

/// `POST /auth/login`, `GET /auth/me`.
enum AuthRoutes {
    static let tokenLifetimeSeconds: Int64 = 30 * 24 * 3600

    struct LoginBody: Decodable {
        var username: String?
    }

    static func register(on api: RouterGroup<ServerRequestContext>, services: ServerServices) {
        api.post("auth/login") { request, _ -> Response in
            let body = try await BodyReader.json(LoginBody.self, from: request)
            guard let username = body.username else {
                throw APIError.validation([.missing(location: ["body", "username"])])
            }
            guard let user = try await services.store.user(username: username) else {
                throw APIError.notFound("User not found")
            }
            guard user.isActive else { throw APIError.forbidden("Account is inactive") }
            let token = try await services.store.issueToken(userID: user.id, lifetimeSeconds: tokenLifetimeSeconds)
            return try JSONResponse.make(
                JSONValue.object([
                    ("accessToken", .string(token)),
                    ("tokenType", .string("bearer")),
                    ("expiresIn", .int(tokenLifetimeSeconds)),
                    ("sessionId", .string(ChatStore.newID())),
                    ("redirectTo", .string(user.isTechnician ? "/support-center/dashboard" : "/support-center/requests")),
                    ("user", UserJSON.loginUser(user)),
                ]))
        }

        api.get("auth/me") { request, _ -> Response in
            let user = try await services.authenticator.user(for: request)
            return try JSONResponse.make(UserJSON.me(user))
        }
    }
}
