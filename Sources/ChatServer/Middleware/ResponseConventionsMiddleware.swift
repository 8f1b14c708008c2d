import Hummingbird
import Logging

/// Outermost middleware: turns every error into the backend's error shapes (anything
/// unexpected becomes a plain-text 500) and marks every other answer `Cache-Control: no-store`.
struct ResponseConventionsMiddleware: RouterMiddleware {
    typealias Context = ServerRequestContext

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as APIError {
            response = try error.response(from: request, context: context)
        } catch let error as HTTPError {
            // Hummingbird's own errors (unknown route...) in FastAPI's shape.
            response = try APIError.detail(error.status, error.status.reasonPhrase)
                .response(from: request, context: context)
        } catch is CancellationError {
            throw CancellationError()  // shutting down: the connection closes unanswered
        } catch {
            context.logger.error("unhandled error", metadata: ["error": "\(error)", "path": "\(request.uri.path)"])
            response = APIError.plainTextInternalServerError
        }
        if response.status != .internalServerError {
            response.headers[.cacheControl] = "no-store"
        }
        return response
    }
}
