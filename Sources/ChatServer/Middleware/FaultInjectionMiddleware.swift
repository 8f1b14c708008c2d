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
        case .status(let code):
            switch code {
            case 500: throw APIError.internalServerError
            case 429: throw APIError.rateLimited(rateLimitMessage)
            default: throw APIError.detail(HTTPResponse.Status(code: code), "injected fault")
            }
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
        }
    }
}
