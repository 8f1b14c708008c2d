import ChatCache
import ChatFS
import Foundation
import Locking

/// Sync as the handler tests see it: it records what the tree told it and serves an
/// attachment only when its blob is already cached (it never downloads).
final class FakeTreeSync: TreeSync {
    struct NotCached: Error {}

    let cache: ChatCache
    private let calls = Locked<[String]>([])

    init(cache: ChatCache) { self.cache = cache }

    /// What the tree called, in order (`visit 3`, `access 3`, `open 7`, `close 7`).
    var log: [String] { calls.withLock { $0 } }

    func visit(chatRowID: Int64, firstPageTimeout: Duration) { calls.withLock { $0.append("visit \(chatRowID)") } }
    func noteAccess(chatRowID: Int64) { calls.withLock { $0.append("access \(chatRowID)") } }
    func followingStarted() { calls.withLock { $0.append("following started") } }
    func followingEnded() { calls.withLock { $0.append("following ended") } }

    func openMedia(rowID: Int64, timeout: Duration) throws -> String {
        calls.withLock { $0.append("open \(rowID)") }
        guard let path = try cache.cachedBlobPath(mediaRowID: rowID) else { throw NotCached() }
        return path
    }

    func mediaClosed(rowID: Int64) { calls.withLock { $0.append("close \(rowID)") } }

    var isTechnician: Bool { false }
    func visitQueue(_ view: String, timeout: Duration) { calls.withLock { $0.append("queue \(view)") } }
}
