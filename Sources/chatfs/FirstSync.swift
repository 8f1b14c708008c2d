import ChatAPI
import ChatCache
import ChatSync
import Foundation
import Logging

/// The chat list, fetched before the mount goes live. A server that cannot be reached is
/// fine when there is a cache to serve (offline is a feature), and fatal when there is
/// none: an empty tree would look like a user without chats.
enum FirstSync {
    /// Nil when online; the time of the cache's last sync when serving it offline.
    static func run(_ engine: SyncEngine, cache: ChatCache, server: URL, logger: Logger) throws -> Date? {
        do {
            try engine.refreshChatList()
            return nil
        } catch let error as APIError where error.isTransient {
            guard let lastSync = try cache.meta(.lastSync).flatMap(Double.init).map(Date.init(timeIntervalSince1970:)) else {
                throw CommandFailure(.unavailable, """
                    cannot reach \(server.absoluteString) (\(error)) and there is no cache to serve offline yet: \
                    mount again once the server is reachable
                    """)
            }
            logger.warning("server unavailable (\(error)); serving the cache from \(MessageFormat.dateString(lastSync))")
            return lastSync
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
