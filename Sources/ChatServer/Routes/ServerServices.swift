/// What route handlers share: the store and the server-wide policies.
struct ServerServices: Sendable {
    let store: ChatStore
    let generation: ServerGeneration
    /// What a new upload is stored as (`--pending-uploads`: pending).
    let uploadStatus: UploadStatus
    let rateLimiter: SendRateLimiter
    let faults: FaultInjector
    let requestCounter: RequestCounter

    var authenticator: Authenticator { Authenticator(store: store) }

    /// The chat `chatID` if `user` may read and post in it (its requester, or a technician
    /// who sees it in the queue views): 404 when it does not exist, 403 otherwise.
    func accessibleChat(_ chatID: String, for user: UserRecord) async throws -> ChatRecord {
        guard let chat = try await store.chat(id: chatID) else {
            throw APIError.notFound("Request not found")
        }
        if chat.requesterID != user.id, try await !store.isVisibleToTechnician(chatID: chat.id, user: user) {
            throw APIError.forbidden("Not authorized to access this request")
        }
        return chat
    }
}
