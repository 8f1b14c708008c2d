import ChatAPI
import ChatCache
import Dispatch
import Foundation
import Locking

/// A technician's queues, kept fresh at the price of few requests (docs/design.md
/// "Technicians"): every views answer carries every view's count, so each poll makes one
/// views call — `recently_updated`, page 1, which also brings the newest message of every
/// chat that changed lately — and fetches the members of a view only when it is in use
/// (one of the working set, or listed in the last 30 minutes) and its count moved since its
/// members were fetched, or something here (a take) moved chats between views.
final class QueueRefresh: Sendable {
    /// Views whose members are always kept: they make the technician's root directory.
    static let workingSet: Set<TechnicianView> = [.unassigned, .myUnsolved, .allUnsolved, .allYourRequests, .recentlyUpdated]
    /// A listed view stays in use this long.
    static let inUseWindow: TimeInterval = 30 * 60
    /// The most members fetched for one view (100 a page).
    static let maxPages = 10

    private struct State {
        var listedAt: [TechnicianView: Date] = [:]
        /// Views to fetch at the next refresh whatever their count says.
        var forced: Set<TechnicianView> = []
        /// Visitors waiting for a view's first members.
        var waiters: [TechnicianView: DispatchGroup] = [:]
    }

    private let state = Locked(State())

    /// What one refresh brought: the chats it saw, the counts, the members of the views
    /// it fetched.
    struct Result {
        var entries: [ChatListEntry] = []
        var counts: [String: Int] = [:]
        var members: QueueMembers = [:]
    }

    /// A listing of `view`: it is in use from now on. Returns a group to wait on when its
    /// members were never fetched (nil: nothing to wait for).
    func listed(_ view: TechnicianView, fetched: Bool) -> DispatchGroup? {
        state.withLock { state in
            state.listedAt[view] = Date()
            guard !fetched else { return nil }
            state.forced.insert(view)
            if let waiting = state.waiters[view] { return waiting }
            let group = DispatchGroup()
            group.enter()
            state.waiters[view] = group
            return group
        }
    }

    /// Something here moved chats between views (a take): fetch these again now.
    func invalidate(_ views: Set<TechnicianView>) {
        state.withLock { $0.forced.formUnion(views) }
    }

    var hasForcedViews: Bool { state.withLock { !$0.forced.isEmpty } }

    /// One refresh against the server; `stored` is what the cache holds per view.
    func fetch(from service: any ChatService, stored: [String: QueueViewRecord]) throws -> Result {
        let now = Date()
        let (inUse, forced) = state.withLock { state -> (Set<TechnicianView>, Set<TechnicianView>) in
            let recent = state.listedAt.filter { now.timeIntervalSince($0.value) < Self.inUseWindow }.keys
            return (Self.workingSet.union(recent).union(state.forced), state.forced)
        }
        var result = Result()
        var items: [String: QueueItem] = [:]
        let probe = try service.technicianView(.recentlyUpdated, page: 1, perPage: ChatClient.maxQueuePageSize)
        for (view, count) in probe.counts { result.counts[view.rawValue] = count }
        probe.items.forEach { items[$0.id] = $0 }
        result.members[TechnicianView.recentlyUpdated.rawValue] = probe.items.map(\.id)
        for view in TechnicianView.allCases where view != .recentlyUpdated && inUse.contains(view) {
            let record = stored[view.rawValue]
            let moved = record?.membersFetchedAt == nil || record?.membersCount != probe.counts[view]
            guard moved || forced.contains(view) else { continue }
            result.members[view.rawValue] = try members(of: view, from: service, into: &items)
        }
        result.entries = items.values.map(ChatListEntry.init)
        return result
    }

    /// The refresh is stored: release the visitors and the forced views it covered.
    func stored(_ result: Result) {
        let groups = state.withLock { state -> [DispatchGroup] in
            let covered = Set(result.members.keys.compactMap(TechnicianView.init(rawValue:)))
            state.forced.subtract(covered)
            return covered.compactMap { state.waiters.removeValue(forKey: $0) }
        }
        groups.forEach { $0.leave() }
    }

    /// The refresh failed: visitors stop waiting (they list what is cached).
    func failed() {
        let groups = state.withLock { state -> [DispatchGroup] in
            defer { state.waiters.removeAll() }
            return Array(state.waiters.values)
        }
        groups.forEach { $0.leave() }
    }

    private func members(of view: TechnicianView, from service: any ChatService, into items: inout [String: QueueItem]) throws
        -> [String]
    {
        var ids: [String] = []
        for page in 1...Self.maxPages {
            let answer = try service.technicianView(view, page: page, perPage: ChatClient.maxQueuePageSize)
            answer.items.forEach { items[$0.id] = $0 }
            ids += answer.items.map(\.id)
            if answer.items.count < ChatClient.maxQueuePageSize || ids.count >= answer.total { break }
        }
        return ids
    }
}
