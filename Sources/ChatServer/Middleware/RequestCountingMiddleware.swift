import Hummingbird

/// Counts `/api/v1` requests per method and route template, and the 304 answers among
/// them (`GET /_test/requests`).
struct RequestCountingMiddleware: RouterMiddleware {
    typealias Context = ServerRequestContext
    let counter: RequestCounter
    let prefix: String

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard let template = context.endpointPath else { return try await next(request, context) }
        let route = template.hasPrefix(prefix) ? String(template.dropFirst(prefix.count)) : template
        counter.record(method: request.method.rawValue, routeTemplate: route)
        let response = try await next(request, context)
        if response.status == .notModified {
            counter.recordNotModified(method: request.method.rawValue, routeTemplate: route)
        }
        return response
    }
}
