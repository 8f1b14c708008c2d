import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import UnixSignals

/// The reference server: the API of docs/api.md on SQLite, run until SIGINT/SIGTERM.
public enum ChatServerApp {
    static let apiPrefix = "/api/v1"

    /// Opens the database (seeding demo data when asked and empty), serves until a signal
    /// arrives, then shuts down gracefully.
    /// - Parameter onListening: called once with `http://HOST:PORT` when connections are accepted.
    public static func run(
        options: ServerOptions, logger: Logger, onListening: @escaping @Sendable (String) -> Void
    ) async throws {
        let database = try ServerDatabase.open(path: options.databasePath)
        let store = ChatStore(database: database)
        if options.seedDemoData, try await store.isEmpty() {
            let started = ContinuousClock.now
            try await DemoData.seed(into: store)
            logger.info("seeded demo data", metadata: ["duration": "\(ContinuousClock.now - started)"])
        }
        let services = ServerServices(
            store: store, generation: options.generation, uploadStatus: options.uploadsStayPending ? .pending : .completed,
            rateLimiter: SendRateLimiter(limitPerWindow: options.sendRateLimit), faults: FaultInjector(),
            requestCounter: RequestCounter())
        let application = Application(
            router: makeRouter(services: services, enableTestControl: options.enableTestControl),
            configuration: ApplicationConfiguration(address: .hostname(options.host, port: options.port)),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? options.port
                let host = options.host.contains(":") ? "[\(options.host)]" : options.host
                onListening("http://\(host):\(port)")
            },
            logger: logger)
        var configuration = ServiceGroupConfiguration(
            services: [.init(service: application)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        // In-flight requests get a few seconds (an injected 50 s delay must not hold up a stop).
        configuration.maximumGracefulShutdownDuration = .seconds(3)
        configuration.maximumCancellationDuration = .seconds(2)
        try await ServiceGroup(configuration: configuration).run()
    }

    static func makeRouter(services: ServerServices, enableTestControl: Bool) -> Router<ServerRequestContext> {
        let router = Router(context: ServerRequestContext.self)
        router.add(middleware: ResponseConventionsMiddleware())
        let api = router.group(RouterPath(apiPrefix))
            .add(middleware: RequestCountingMiddleware(counter: services.requestCounter, prefix: apiPrefix))
            .add(
                middleware: FaultInjectionMiddleware(
                    faults: services.faults, rateLimitMessage: services.rateLimiter.exceededMessage))
            .add(middleware: OriginCheckMiddleware())
        AuthRoutes.register(on: api, services: services)
        ChatListRoutes.register(on: api, services: services)
        MessageRoutes.register(on: api, services: services)
        ReadStateRoutes.register(on: api, services: services)
        MediaRoutes.register(on: api, services: services)
        UploadRoutes.register(on: api, services: services)
        TechnicianRoutes.register(on: api, services: services)
        if enableTestControl {
            TestControlRoutes.register(on: router.group("_test"), services: services)
        }
        return router
    }
}
