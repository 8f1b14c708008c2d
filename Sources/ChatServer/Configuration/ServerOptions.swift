/// Everything the command line decides about one run of the reference server.
public struct ServerOptions: Sendable {
    /// SQLite file that persists users, chats, messages and media; nil keeps everything in memory.
    public var databasePath: String?
    public var host: String
    /// 0 asks the kernel for a free port.
    public var port: Int
    /// Seed the demo data set when the database holds no users yet.
    public var seedDemoData: Bool
    public var generation: ServerGeneration
    /// Serve the `/_test` control endpoints (fault injection, token revocation, counters).
    public var enableTestControl: Bool
    /// Sends per minute per source IP; 0 disables the limit.
    public var sendRateLimit: Int
    /// Uploads stay `pending` (the deployed backend without its upload worker); the legacy
    /// generation still serves their bytes, `POST /_test/uploads/complete` finishes them.
    public var uploadsStayPending: Bool

    public init(
        databasePath: String? = nil,
        host: String = "127.0.0.1",
        port: Int = 8080,
        seedDemoData: Bool = false,
        generation: ServerGeneration = .delta,
        enableTestControl: Bool = false,
        sendRateLimit: Int = 30,
        uploadsStayPending: Bool = false
    ) {
        self.databasePath = databasePath
        self.host = host
        self.port = port
        self.seedDemoData = seedDemoData
        self.generation = generation
        self.enableTestControl = enableTestControl
        self.sendRateLimit = sendRateLimit
        self.uploadsStayPending = uploadsStayPending
    }
}
