import Hummingbird

/// `POST /chat/{request_id}/mark-read`, `GET /chat/{request_id}/unread`.
enum ReadStateRoutes {
    static func register(on api: RouterGroup<ServerRequestContext>, services: ServerServices) {
        api.post("chat/{request_id}/mark-read") { request, context -> Response in
            let user = try await services.authenticator.user(for: request)
            let chat = try await services.accessibleChat(try context.uuidParameter("request_id"), for: user)
            let (markedAt, previousUnread) = try await services.store.markRead(chatID: chat.id, userID: user.id)
            return try JSONResponse.make(
                JSONValue.object([
                    ("requestId", .string(chat.id)),
                    ("userId", .string(user.id)),
                    ("markedAt", .timestamp(markedAt)),
                    ("previousUnread", .int(previousUnread)),
                ]))
        }

        api.get("chat/{request_id}/unread") { request, context -> Response in
            let user = try await services.authenticator.user(for: request)
            let chat = try await services.accessibleChat(try context.uuidParameter("request_id"), for: user)
            let (unreadCount, lastReadAt) = try await services.store.unreadState(chatID: chat.id, userID: user.id)
            return try JSONResponse.make(
                JSONValue.object([
                    ("requestId", .string(chat.id)),
                    ("unreadCount", .int(unreadCount)),
                    ("lastReadAt", .timestamp(lastReadAt)),
                ]))
        }
    }
}
