import Hummingbird

/// An error answer in the backend's shapes: `{"detail": "..."}`, a 422 list, the rate
/// limiter's `{"error": "..."}`, or a plain-text 500.
enum APIError: Error, HTTPResponseError {
    case detail(HTTPResponse.Status, String)
    /// 401 with `WWW-Authenticate: Bearer`.
    case invalidToken
    case validation([ValidationIssue])
    /// 429 without `Retry-After`, as the deployed backend answers.
    case rateLimited(String)
    /// Plain-text `Internal Server Error`.
    case internalServerError

    var status: HTTPResponse.Status {
        switch self {
        case .detail(let status, _): status
        case .invalidToken: .unauthorized
        case .validation: .unprocessableContent
        case .rateLimited: .tooManyRequests
        case .internalServerError: .internalServerError
        }
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        switch self {
        case .detail(let status, let detail):
            return try JSONResponse.make(JSONValue.object([("detail", .string(detail))]), status: status)
        case .invalidToken:
            return try JSONResponse.make(
                JSONValue.object([("detail", .string("Could not validate credentials"))]), status: .unauthorized,
                headers: [.wwwAuthenticate: "Bearer"])
        case .validation(let issues):
            return try JSONResponse.make(ValidationAnswer(detail: issues), status: .unprocessableContent)
        case .rateLimited(let message):
            return try JSONResponse.make(JSONValue.object([("error", .string(message))]), status: .tooManyRequests)
        case .internalServerError:
            return Self.plainTextInternalServerError
        }
    }

    static var plainTextInternalServerError: Response {
        Response(
            status: .internalServerError, headers: [.contentType: "text/plain; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: "Internal Server Error")))
    }

    static func notFound(_ detail: String) -> APIError { .detail(.notFound, detail) }
    static func forbidden(_ detail: String) -> APIError { .detail(.forbidden, detail) }
    static func badRequest(_ detail: String) -> APIError { .detail(.badRequest, detail) }

    private struct ValidationAnswer: Encodable {
        var detail: [ValidationIssue]
    }
}
