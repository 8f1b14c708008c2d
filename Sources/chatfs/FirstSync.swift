import ChatAPI
import ChatCache
import ChatSync
import Foundation
import Logging

/// The first chat list of a mount. A cache that has had a chat list is served at once and
/// the list comes in behind it (`inBackground`); an empty cache waits for it before the
/// mount goes live (`run`). A server that cannot be reached is fine when there is a cache
/// to serve (offline is a feature), and fatal when there is none: an empty tree would look
/// like a user without chats. docs/design.md, "Startup".
enum FirstSync {
    /// When the cache last had a chat list; nil: it never had one, the mount must wait.
    static func cachedSince(_ cache: ChatCache) throws -> Date? {
        try cache.meta(.lastSync).flatMap(Double.init).map(Date.init(timeIntervalSince1970:))
    }

    /// Nil when online; the time of the cache's last sync when serving it offline.
    static func run(_ engine: SyncEngine, cache: ChatCache, server: URL, logger: Logger) throws -> Date? {
        do {
            try engine.refreshChatList()
            return nil
        } catch let error as APIError where error.isTransient {
            guard let lastSync = try cachedSince(cache) else {
                throw CommandFailure(.unavailable, """
                    cannot reach \(server.absoluteString) (\(error)) and there is no cache to serve offline yet: \
                    mount again once the server is reachable
                    """)
            }
            logger.warning("server unavailable (\(error)); serving the cache from \(MessageFormat.dateString(lastSync))")
            return lastSync
        }
    }

    /// The first list of a mount that already serves its cache: nothing can fail the mount
    /// any more, so a refusal (a login refused, a bad certificate) is logged and kept for
    /// `chatfs status`, and the cache stays served, as when the login is refused mid-mount.
    static func inBackground(_ engine: SyncEngine, cache: ChatCache, server: URL, logger: Logger) {
        do {
            _ = try run(engine, cache: cache, server: server, logger: logger)
        } catch {
            let since = (try? cachedSince(cache)).flatMap { $0 }.map(MessageFormat.dateString) ?? "its last sync"
            logger.error("\(error); serving the cache from \(since) (chatfs status shows the error until it passes)")
            try? cache.setMeta(.lastError, "\(error)")
        }
    }
}

extension APIError {
    /// Down, overloaded or slow: waiting may fix it (a refusal or a bad certificate will not).
    var isTransient: Bool {
        switch self {
        case .offline, .ambiguous, .noAnswer, .retryable, .rateLimited: true
        case .permanent, .authenticationFailed, .malformed, .certificate: false
        }
    }
}
