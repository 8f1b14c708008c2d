import ChatAPI
import Synchronization

/// A token store in memory, to see what a client saved.
final class MemoryTokenStore: TokenStore {
    let token: Mutex<String?>
    init(_ token: String?) { self.token = Mutex(token) }
    func load() -> String? { token.withLock { $0 } }
    func save(_ token: String) throws { self.token.withLock { $0 = token } }
}
