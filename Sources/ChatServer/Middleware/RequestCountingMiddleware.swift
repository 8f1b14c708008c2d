import Hummingbird

/// Counts `/api/v1` requests per method and route template (`GET /_test/requests`).
struct RequestCountingMiddleware: RouterMiddleware {
    typealias Context = ServerRequestContext
    let counter: RequestCounter
    let prefix: String

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        if let template = context.endpointPath {
            let route = template.hasPrefix(prefix) ? String(template.dropFirst(prefix.count)) : template
            counter.record(method: request.method.rawValue, routeTemplate: route)
        }
        return try await next(request, context)
    }
}
