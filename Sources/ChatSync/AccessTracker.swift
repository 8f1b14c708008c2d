import ChatCache
import Foundation
import Locking

/// What the tree used, kept in memory and written by the poller in one batch per tick:
/// reading a file never writes to the database.
final class AccessTracker: Sendable {
    private struct Batch {
        var counters: [CacheCounter: Int] = [:]
        var chats: [Int64: Date] = [:]
        var media: [Int64: Date] = [:]
    }

    private struct State {
        var pending = Batch()
        /// The latest use of each chat, kept after flushing: eviction spares chats in use.
        var lastChatUse: [Int64: Date] = [:]
    }

    private let state = Locked(State())

    func count(_ counter: CacheCounter) {
        state.withLock { $0.pending.counters[counter, default: 0] += 1 }
    }

    func chatAccessed(_ chatRowID: Int64, at date: Date = Date()) {
        state.withLock { state in
            state.pending.chats[chatRowID] = date
            state.lastChatUse[chatRowID] = date
        }
    }

    func mediaAccessed(_ mediaRowID: Int64, at date: Date = Date()) {
        state.withLock { $0.pending.media[mediaRowID] = date }
    }

    func chats(usedWithin window: TimeInterval, now: Date = Date()) -> Set<Int64> {
        Set(state.withLock { $0.lastChatUse }.filter { now.timeIntervalSince($0.value) < window }.keys)
    }

    /// Writes what accumulated. On failure it is kept for the next flush.
    func flush(to cache: ChatCache) throws {
        let batch = state.withLock { state in
            defer { state.pending = Batch() }
            return state.pending
        }
        do {
            try cache.recordAccess(counters: batch.counters, chats: batch.chats, media: batch.media)
        } catch {
            state.withLock { state in
                state.pending.counters.merge(batch.counters, uniquingKeysWith: +)
                state.pending.chats.merge(batch.chats) { max($0, $1) }
                state.pending.media.merge(batch.media) { max($0, $1) }
            }
            throw error
        }
    }
}
