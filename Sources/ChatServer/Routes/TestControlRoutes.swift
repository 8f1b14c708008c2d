import Hummingbird

/// The `/_test` endpoints (only with `--test-control`): create users (and make them
/// inactive), create chats (one at a time or in bulk), change a chat's status or title, post as any user, inject faults, revoke tokens, complete pending uploads,
/// read request counters.
/// No authentication.
enum TestControlRoutes {
    struct NewChatBody: Decodable {
        var title: String?
        var requester: String?
        /// A business unit's name; absent files the chat under the first business unit (the
        /// demo's "IT Helpdesk"), so the demo technicians see it.
        var businessUnit: String?
        /// A priority's name (Low, Medium, High, Urgent); Medium when absent.
        var priority: String?
        /// A status name; Open when absent.
        var status: String?
        /// Makes the chat a subtask of this request.
        var parentTaskId: String?
    }

    struct NewUserBody: Decodable {
        var username: String?
        var fullName: String?
        var isTechnician: Bool?
        var isSuperAdmin: Bool?
        /// Business unit names (created when missing).
        var businessUnits: [String]?
        /// Business unit names whose requests the user may assign (implies membership).
        var supervises: [String]?
    }

    struct StatusBody: Decodable {
        var status: String?
    }

    struct TitleBody: Decodable {
        var title: String?
    }

    struct BulkChatsBody: Decodable {
        struct Chat: Decodable {
            var title: String?
            /// Messages in all, the title included.
            var messages: Int?
        }

        var requester: String?
        /// Who answers the requester (a username); system messages when absent.
        var replier: String?
        var chats: [Chat]?
    }

    /// Most messages one bulk call may create (the benchmark's data set is about 210,000).
    static let maximumBulkMessages = 1_000_000

    struct ActiveBody: Decodable {
        var active: Bool?
    }

    struct NewMessageBody: Decodable {
        /// A username; absent or null posts a system message.
        var sender: String?
        var content: String?
        var createdAt: String?
    }

    struct FaultBody: Decodable {
        var pathContains: String?
        var method: String?
        var action: String?
        var status: Int?
        var delaySeconds: Double?
        var times: Int?
        /// `status`: the `Retry-After` header's value, verbatim.
        var retryAfter: String?
        /// `huge-body`: its size (default 100 MB).
        var bytes: Int?
        /// `trickle`: seconds between two bytes (default 1).
        var secondsPerByte: Double?
    }

    /// Longest delay a rule may ask for (a forgotten rule must not hang a test run forever).
    static let maximumDelaySeconds = 600.0
    /// Largest `huge-body` (1 GB): streamed, so only the client's side can grow.
    static let maximumHugeBodyBytes = 1_000_000_000

    static func register(on control: RouterGroup<ServerRequestContext>, services: ServerServices) {
        let store = services.store

        control.post("users") { request, _ -> Response in
            let body = try await BodyReader.json(NewUserBody.self, from: request)
            guard let username = body.username else {
                throw APIError.validation([.missing(location: ["body", "username"])])
            }
            guard try await store.user(username: username) == nil else {
                throw APIError.badRequest("Username already exists")
            }
            let user = UserRecord(
                id: ChatStore.newID(), username: username, email: "\(username)@example.com", fullName: body.fullName,
                title: nil, isActive: true, isTechnician: body.isTechnician ?? false,
                isSuperAdmin: body.isSuperAdmin ?? false, createdAt: .now())
            try await store.createUser(user, memberOf: body.businessUnits ?? [], supervising: body.supervises ?? [])
            return try JSONResponse.make(JSONValue.object([("id", .string(user.id))]), status: .created)
        }

        control.post("users/{username}/active") { request, context -> Response in
            let username = try context.parameters.require("username")
            guard let active = try await BodyReader.json(ActiveBody.self, from: request).active else {
                throw APIError.validation([.missing(location: ["body", "active"])])
            }
            guard try await store.setActive(username: username, active) else { throw APIError.notFound("User not found") }
            return try JSONResponse.make(JSONValue.object([("active", .bool(active))]))
        }

        control.post("chats") { request, _ -> Response in
            let body = try await BodyReader.json(NewChatBody.self, from: request)
            guard let title = body.title, let requester = body.requester else {
                throw APIError.validation([.missing(location: ["body", body.title == nil ? "title" : "requester"])])
            }
            guard let user = try await store.user(username: requester) else {
                throw APIError.notFound("User not found")
            }
            let unit: BusinessUnitRecord?
            if let name = body.businessUnit {
                guard let named = try await store.businessUnit(named: name) else {
                    throw APIError.notFound("Business unit not found")
                }
                unit = named
            } else {
                unit = try await store.defaultBusinessUnit()
            }
            var ticket = TicketRecord(
                id: ChatStore.newID(), title: title, requesterID: user.id, status: try status(named: body.status),
                priority: try body.priority.map { name in
                    guard let priority = RequestPriority.named(name) else { throw APIError.badRequest("Unknown priority") }
                    return priority
                } ?? .medium,
                businessUnitID: unit?.id, createdAt: .now())
            if let parent = body.parentTaskId {
                guard let parentID = UUIDText.normalized(parent), try await store.chat(id: parentID) != nil else {
                    throw APIError.notFound("Parent request not found")
                }
                ticket.parentTaskId = parentID
            }
            let id = try await store.createChat(ticket)
            return try JSONResponse.make(JSONValue.object([("id", .string(id))]), status: .created)
        }

        control.post("bulk-chats") { request, _ -> Response in
            let body = try await BodyReader.json(BulkChatsBody.self, from: request)
            guard let requester = body.requester, let bodyChats = body.chats else {
                throw APIError.validation([.missing(location: ["body", body.requester == nil ? "requester" : "chats"])])
            }
            let chats = try bodyChats.map { chat in
                guard let title = chat.title, let count = chat.messages, count >= 1 else {
                    throw APIError.badRequest("every chat needs a title and at least 1 message")
                }
                return ChatStore.BulkChat(title: title, messageCount: count)
            }
            guard chats.reduce(0, { $0 + $1.messageCount }) <= maximumBulkMessages else {
                throw APIError.badRequest("at most \(maximumBulkMessages) messages per call")
            }
            guard let user = try await store.user(username: requester) else { throw APIError.notFound("User not found") }
            var replierID: String?
            if let replier = body.replier {
                guard let user = try await store.user(username: replier) else { throw APIError.notFound("User not found") }
                replierID = user.id
            }
            let ids = try await store.bulkChats(
                chats, requesterID: user.id, replierID: replierID, businessUnitID: try await store.defaultBusinessUnit()?.id)
            return try JSONResponse.make(JSONValue.object([("ids", .array(ids.map(JSONValue.string)))]), status: .created)
        }

        control.post("chats/{request_id}/close") { _, context -> Response in
            try await setStatus(.solved, chatID: try context.uuidParameter("request_id"), store: store)
        }

        control.post("chats/{request_id}/status") { request, context -> Response in
            let chatID = try context.uuidParameter("request_id")
            let body = try await BodyReader.json(StatusBody.self, from: request)
            guard body.status != nil else { throw APIError.validation([.missing(location: ["body", "status"])]) }
            return try await setStatus(try status(named: body.status), chatID: chatID, store: store)
        }

        control.post("chats/{request_id}/title") { request, context -> Response in
            let chatID = try context.uuidParameter("request_id")
            guard let title = try await BodyReader.json(TitleBody.self, from: request).title else {
                throw APIError.validation([.missing(location: ["body", "title"])])
            }
            guard try await store.setTitle(chatID: chatID, title: title) else { throw APIError.notFound("Request not found") }
            return try JSONResponse.make(JSONValue.object([("id", .string(chatID)), ("title", .string(title))]))
        }

        control.post("chats/{request_id}/messages") { request, context -> Response in
            let chatID = try context.uuidParameter("request_id")
            let body = try await BodyReader.json(NewMessageBody.self, from: request)
            guard let raw = body.content else { throw APIError.validation([.missing(location: ["body", "content"])]) }
            let content: String
            switch MessageContentRules.validatedContent(raw) {
            case .success(let text): content = text
            case .failure(let issue): throw APIError.validation([issue])
            }
            var createdAt = ServerTimestamp.now()
            if let text = body.createdAt {
                guard let parsed = ServerTimestamp(iso8601: text) else {
                    throw APIError.validation([
                        ValidationIssue(
                            type: "datetime_parsing", loc: ["body", "createdAt"], msg: "Input should be a valid datetime",
                            input: text)
                    ])
                }
                createdAt = parsed
            }
            var senderID: String?
            if let sender = body.sender {
                guard let user = try await store.user(username: sender) else { throw APIError.notFound("User not found") }
                senderID = user.id
            }
            guard try await store.chat(id: chatID) != nil else { throw APIError.notFound("Request not found") }
            let (message, _) = try await store.appendMessage(
                chatID: chatID, senderID: senderID, content: MessageSanitizer.sanitize(content), clientTempID: nil,
                deduplicate: false, createdAt: createdAt)
            return try JSONResponse.make(
                MessageJSON.render(message, viewerID: senderID ?? "", readStates: [], audience: .sendAnswer),
                status: .created)
        }

        control.post("faults") { request, _ -> Response in
            let body = try await BodyReader.json(FaultBody.self, from: request)
            let action = try faultAction(body)
            if let times = body.times, times < 1 {
                throw APIError.badRequest("times must be at least 1 (or null for until cleared)")
            }
            let id = services.faults.add(
                pathContains: body.pathContains ?? "", method: body.method, action: action, times: body.times)
            return try JSONResponse.make(JSONValue.object([("id", .int(id))]), status: .created)
        }

        control.delete("faults") { _, _ -> Response in
            let cleared = services.faults.clear()
            return try JSONResponse.make(JSONValue.object([("cleared", .int(cleared))]))
        }

        control.post("tokens/revoke") { _, _ -> Response in
            let revoked = try await store.revokeAllTokens()
            return try JSONResponse.make(JSONValue.object([("revoked", .int(revoked))]))
        }

        control.post("uploads/complete") { _, _ -> Response in
            let completed = try await store.completePendingUploads()
            return try JSONResponse.make(JSONValue.object([("completed", .int(completed))]))
        }

        control.get("requests") { _, _ -> Response in
            let counts = services.requestCounter.snapshot()
            func object(_ counts: [String: Int]) -> JSONValue {
                .object(counts.sorted { $0.key < $1.key }.map { ($0.key, .int($0.value)) })
            }
            return try JSONResponse.make(
                JSONValue.object([("counts", object(counts.received)), ("notModified", object(counts.notModified))]))
        }
    }

    /// Open when nil; 400 for a name no status has.
    private static func status(named name: String?) throws -> RequestStatus {
        guard let name else { return .open }
        guard let status = RequestStatus.named(name) else { throw APIError.badRequest("Unknown status") }
        return status
    }

    private static func setStatus(_ status: RequestStatus, chatID: String, store: ChatStore) async throws -> Response {
        guard try await store.setStatus(chatID: chatID, status: status) else {
            throw APIError.notFound("Request not found")
        }
        return try JSONResponse.make(JSONValue.object([("id", .string(chatID)), ("status", .string(status.name))]))
    }

    static func faultAction(_ body: FaultBody) throws -> FaultAction {
        switch body.action {
        case "status":
            guard let status = body.status, (100...599).contains(status) else {
                throw APIError.badRequest("status action needs a status between 100 and 599")
            }
            return .status(status, retryAfter: body.retryAfter)
        case "delay":
            guard let seconds = body.delaySeconds, (0...maximumDelaySeconds).contains(seconds) else {
                throw APIError.badRequest("delay action needs delaySeconds between 0 and \(Int(maximumDelaySeconds))")
            }
            return .delay(seconds: seconds)
        case "drop-after-commit":
            return .dropAfterCommit
        case "corrupt":
            return .corrupt
        case "malformed-json":
            return .malformedJSON
        case "truncated-json":
            return .truncatedJSON
        case "wrong-content-type":
            return .wrongContentType
        case "huge-body":
            let bytes = body.bytes ?? 100_000_000
            guard (1...maximumHugeBodyBytes).contains(bytes) else {
                throw APIError.badRequest("huge-body action needs bytes between 1 and \(maximumHugeBodyBytes)")
            }
            return .hugeBody(bytes: bytes)
        case "reset-mid-body":
            return .resetMidBody
        case "trickle":
            let seconds = body.secondsPerByte ?? 1
            guard (0.001...maximumDelaySeconds).contains(seconds) else {
                throw APIError.badRequest("trickle action needs secondsPerByte between 0.001 and \(Int(maximumDelaySeconds))")
            }
            return .trickle(secondsPerByte: seconds)
        default:
            throw APIError.badRequest(
                "action must be status, delay, drop-after-commit, corrupt, malformed-json, truncated-json, "
                    + "wrong-content-type, huge-body, reset-mid-body or trickle")
        }
    }
}
