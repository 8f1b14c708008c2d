import Hummingbird
import NIOCore

/// Applies the first `/_test/faults` rule matching an `/api/v1` request.
struct FaultInjectionMiddleware: RouterMiddleware {
    typealias Context = ServerRequestContext
    let faults: FaultInjector
    let rateLimitMessage: String

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard let action = faults.match(method: request.method.rawValue, target: request.uri.description) else {
            return try await next(request, context)
        }
        switch action {
        case .status(let code, let retryAfter):
            let error: APIError = switch code {
            case 500: .internalServerError
            case 429: .rateLimited(rateLimitMessage)
            default: .detail(HTTPResponse.Status(code: code), "injected fault")
            }
            guard let retryAfter else { throw error }
            var response = try error.response(from: request, context: context)
            response.headers[.retryAfter] = retryAfter
            return response
        case .delay(let seconds):
            try await Task.sleep(for: .seconds(seconds))
            return try await next(request, context)
        case .dropAfterCommit:
            let response = try await next(request, context)
            // Closing the connection first makes writing the response fail, so the client
            // sees the connection end with nothing although the change is committed.
            try? await context.channel.close()
            return response
        case .corrupt:
            var context = context
            context.corruptsDownloads = true
            return try await next(request, context)
        case .malformedJSON:
            return FaultyAnswers.malformedJSON()
        case .wrongContentType:
            return FaultyAnswers.htmlPage()
        case .hugeBody(let bytes):
            return FaultyAnswers.hugeBody(bytes: bytes)
        case .truncatedJSON:
            return try await FaultyAnswers.truncated(next(request, context))
        case .resetMidBody:
            return try await FaultyAnswers.resetMidBody(next(request, context), channel: context.channel)
        case .trickle(let secondsPerByte):
            return try await FaultyAnswers.trickled(next(request, context), secondsPerByte: secondsPerByte)
        }
    }
}
