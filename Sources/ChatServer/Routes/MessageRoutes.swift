import HTTPTypes
import Hummingbird

/// `GET /chat/messages/request/{request_id}` (all listing modes) and `POST /chat/messages`.
enum MessageRoutes {
    struct SendBody: Decodable {
        var requestId: String?
        var content: String?
        var clientTempId: String?
        var isScreenshot: Bool?
        var screenshotFileName: String?
        var fileName: String?
        var fileSize: Int64?
        var fileMimeType: String?
    }

    static func register(on api: RouterGroup<ServerRequestContext>, services: ServerServices) {
        api.get("chat/messages/request/{request_id}") { request, context -> Response in
            let user = try await services.authenticator.user(for: request)
            // FastAPI reports every malformed path and query parameter in one 422.
            var issues: [ValidationIssue] = []
            var chatID = ""
            do throws(APIError) { chatID = try context.uuidParameter("request_id") } catch { issues += error.issues }
            var query = MessageListingQuery()
            do throws(ValidationFailure) {
                query = try MessageListingQuery.parse(
                    { request.uri.queryParameters[$0[...]].map(String.init) }, generation: services.generation)
            } catch {
                issues += error.issues
            }
            guard issues.isEmpty else { throw APIError.validation(issues) }

            let chat = try await services.accessibleChat(chatID, for: user)
            let mode: MessageListingMode
            do throws(MessageListingError) {
                mode = try query.mode()
            } catch .conflict(let detail) {
                throw APIError.badRequest(detail)
            } catch .outOfRange {
                throw APIError.internalServerError  // the backend's database refuses the integer
            }
            let page = try await services.store.messagePage(chatID: chat.id, mode: mode)
            let messages = page.messages.map {
                MessageJSON.render(
                    $0, viewerID: user.id, readStates: page.readStates, audience: .listing(services.generation))
            }
            var headers = HTTPFields()
            for header in MessagePageHeaders.make(
                mode: mode, sequences: page.messages.map(\.sequenceNumber), totalCount: page.totalCount,
                newestInChat: page.newestSequence)
            {
                if let name = HTTPField.Name(header.name) { headers[name] = header.value }
            }
            return try JSONResponse.make(JSONValue.array(messages), headers: headers)
        }

        api.post("chat/messages") { request, context -> Response in
            let user = try await services.authenticator.user(for: request)
            let body = try await BodyReader.json(SendBody.self, from: request)
            let (chatID, content) = try validate(body)
            guard services.rateLimiter.admit(client: context.clientAddress) else {
                throw APIError.rateLimited(services.rateLimiter.exceededMessage)
            }
            let chat = try await services.accessibleChat(chatID, for: user)
            guard !chat.status.countAsSolved else {
                throw APIError.badRequest("Cannot send message to a closed/solved task")
            }
            let attachment = MessageAttachment(
                isScreenshot: body.isScreenshot ?? false, screenshotFileName: body.screenshotFileName,
                fileName: body.fileName, fileSize: body.fileSize, fileMimeType: body.fileMimeType)
            let (message, isNew) = try await services.store.appendMessage(
                chatID: chat.id, senderID: user.id, content: MessageSanitizer.sanitize(content),
                attachment: attachment, clientTempID: body.clientTempId, deduplicate: services.generation == .delta)
            let readStates = try await services.store.readStates(chatID: chat.id)
            return try JSONResponse.make(
                MessageJSON.render(message, viewerID: user.id, readStates: readStates, audience: .sendAnswer),
                status: isNew ? .created : .ok)
        }
    }

    /// The 422 step of a send: returns the chat id and the stripped content.
    static func validate(_ body: SendBody) throws(APIError) -> (chatID: String, content: String) {
        var issues: [ValidationIssue] = []
        var chatID = ""
        if let requestId = body.requestId {
            if let id = UUIDText.normalized(requestId) {
                chatID = id
            } else {
                issues.append(.uuidParsing(location: ["body", "requestId"], input: requestId))
            }
        } else {
            issues.append(.missing(location: ["body", "requestId"]))
        }
        var content = ""
        if let raw = body.content {
            switch MessageContentRules.validatedContent(raw) {
            case .success(let text): content = text
            case .failure(let issue): issues.append(issue)
            }
        } else {
            issues.append(.missing(location: ["body", "content"]))
        }
        if let clientTempId = body.clientTempId,
           MessageContentRules.length(clientTempId) > MessageContentRules.maximumClientTempIDLength
        {
            issues.append(
                .stringTooLong(
                    location: ["body", "clientTempId"], input: clientTempId,
                    maximum: MessageContentRules.maximumClientTempIDLength))
        }
        guard issues.isEmpty else { throw .validation(issues) }
        return (chatID, content)
    }
}

extension APIError {
    /// The validation issues of a 422 (empty for any other error).
    var issues: [ValidationIssue] {
        if case .validation(let issues) = self { return issues }
        return []
    }
}
