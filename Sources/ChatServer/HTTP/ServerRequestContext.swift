import Hummingbird
import NIOCore

/// Per-request context: Hummingbird's core storage plus the connection, which the server
/// needs for the client's address (rate limit) and to drop a connection (fault injection).
struct ServerRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let channel: any Channel
    /// Set by an injected `corrupt` fault: downloads are served with one byte flipped.
    var corruptsDownloads = false

    init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.channel = source.channel
    }

    /// The peer's IP address, the key of the per-IP send limit.
    var clientAddress: String {
        channel.remoteAddress?.ipAddress ?? "unknown"
    }
}
