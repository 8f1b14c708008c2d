import HTTPTypes
import Hummingbird

/// Refuses POSTs carrying an `Origin` or `Referer` header not on the allow list (which is
/// empty: native clients send neither), like the backend's CSRF guard.
struct OriginCheckMiddleware: RouterMiddleware {
    typealias Context = ServerRequestContext
    let allowedOrigins: Set<String> = []

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        if request.method == .post {
            for header in [HTTPField.Name.origin, .referer] {
                if let value = request.headers[header], !allowedOrigins.contains(value) {
                    throw APIError.forbidden("Origin not allowed")
                }
            }
        }
        return try await next(request, context)
    }
}
