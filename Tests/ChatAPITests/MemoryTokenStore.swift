import ChatAPI
import Locking

/// A token store in memory, to see what a client saved.
final class MemoryTokenStore: TokenStore {
    let token: Locked<String?>
    init(_ token: String?) { self.token = Locked(token) }
    func load() -> String? { token.withLock { $0 } }
    func save(_ token: String) throws { self.token.withLock { $0 = token } }
}
