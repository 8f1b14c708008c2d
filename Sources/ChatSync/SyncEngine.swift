import ChatAPI
import ChatCache
import Dispatch
import Foundation
import Logging
import Locking

/// Keeps the cache fresh: the chat list at mount and on every poll (one request for the
/// whole mount), a chat's newest page on its first visit, delta sync for the chats in
/// use, and their older history paged in behind. It announces every change it stores as
/// a `ChangeEvent`.
///
/// Threads: one poller thread (`pollLoop`) does all background work, one chat at a time;
/// first visits fetch their page on `firstPageQueue` so a visitor never waits behind a
/// backfill. `ChatLocks` keeps the two from working on the same chat at once. Attachments
/// download on the `MediaFetcher`'s queue; the poller also writes the access times and
/// counters the tree gathered in memory, and announces removals another process made.
public final class SyncEngine: Sendable {
    let service: any ChatService
    let cache: ChatCache
    let configuration: SyncConfiguration
    let logger: Logger

    let changes: ChangeFeed
    let tracker = AccessTracker()
    let openMedia = OpenMediaFiles()
    let quotaKeeper: QuotaKeeper
    let mediaFetcher: MediaFetcher

    /// A visit after this long without any use of the chat counts as a new visit (a hit
    /// or a miss); lookups and reads within it are part of the same visit.
    static let visitGap: TimeInterval = 300

    private struct State {
        /// Latest visit or read per chat (row id).
        var visits: [Int64: Date] = [:]
        /// Chats known to hold their first page: their visits never wait.
        var synced: Set<Int64> = []
        var firstPagesInFlight: [Int64: DispatchGroup] = [:]
        /// Chats a visit found stale: the poller takes them first.
        var urgent: Set<Int64> = []
        var generation: ServerGeneration?
        var lastActivity = Date()
        /// Readers of `.chatfs/events` open now: while any is, the mount is in use.
        var followers = 0
        var lastListError: String?
        /// Logins the server refused in a row (see `LoginBackoff`); 0 once the list loads.
        var loginRefusals = 0
        var stopping = false
        /// A technician's mount also keeps the queue views (see `QueueRefresh`).
        var isTechnician = false
        /// Refresh the lists at the next tick, whatever the poll interval says.
        var refreshNow = false
        /// The last chat list stored, with the server's tag for it (delta generation only).
        var heldList: HeldChatList?
    }

    /// A chat list the cache holds, and the ETag that lets the next poll ask "changed?".
    private struct HeldChatList {
        var etag: String
        /// Kept for a technician's polls: an unchanged list is merged with changed queues.
        var summaries: [ChatSummary]
    }

    let queues = QueueRefresh()

    private let state = Locked(State())
    private let chatLocks = ChatLocks()
    private let wakeSignal = DispatchSemaphore(value: 0)
    private let pollerFinished = DispatchSemaphore(value: 0)
    private let firstPageQueue = DispatchQueue(label: "chatfs.sync.first-page", attributes: .concurrent)
    /// Told when the server answers again after an outage (the outbox sends what waited).
    private let onReconnect: @Sendable () -> Void

    /// `changes` is the mount's feed (the filesystem listens to it); `onReconnect` runs
    /// when the server answers again after an outage.
    public init(service: any ChatService, cache: ChatCache, configuration: SyncConfiguration = .init(),
                changes: ChangeFeed = ChangeFeed(), onReconnect: @escaping @Sendable () -> Void = {}, logger: Logger) {
        self.service = service
        self.cache = cache
        self.configuration = configuration
        self.changes = changes
        self.onReconnect = onReconnect
        self.logger = logger
        quotaKeeper = QuotaKeeper(cache: cache, tracker: tracker, openFiles: openMedia, changes: changes, logger: logger)
        mediaFetcher = MediaFetcher(service: service, cache: cache, logger: logger, tracker: tracker, openFiles: openMedia,
                                    changes: changes, dataAdded: { [quotaKeeper] in quotaKeeper.enforce() })
        // A chat that lost messages (eviction, `cache clear`, a resync) may have lost its
        // first page: its next visit must look at the cache again, not take the fast path.
        changes.subscribe { [weak self] event in
            switch event {
            case .messagesRemoved(let chatRowID, _):
                self?.state.withLock { _ = $0.synced.remove(chatRowID) }
            case .queuesStale:
                self?.queues.invalidate([.unassigned, .myUnsolved, .allUnsolved, .allYourRequests, .inProgress])
                self?.refreshSoon()
            default:
                break
            }
        }
        if let stored = try? cache.meta(.generation) {
            state.withLock { $0.generation = ServerGeneration(rawValue: stored) }
        }
    }

    // MARK: change events

    func publish(_ event: ChangeEvent) { changes.publish(event) }

    // MARK: lifecycle

    /// Starts the background poller.
    public func start() {
        let thread = Thread { [self] in
            pollLoop()
            pollerFinished.signal()
        }
        thread.name = "chatfs-sync"
        thread.start()
    }

    /// Stops the poller, waiting at most `timeout` for a request in flight to end.
    public func stop(timeout: Duration = .seconds(5)) {
        state.withLock { $0.stopping = true }
        wakeSignal.signal()
        _ = pollerFinished.wait(timeout: .now() + timeout.seconds)
        flushAccess()
    }

    /// Asks the poller to run now rather than at its next tick.
    public func wake() { wakeSignal.signal() }

    public var generation: ServerGeneration? { state.withLock { $0.generation } }

    /// Whether the mount keeps a technician's queue views (from the login answer).
    public var isTechnician: Bool { state.withLock { $0.isTechnician } }

    public func setTechnician(_ technician: Bool) { state.withLock { $0.isTechnician = technician } }

    /// Lists are fetched again at the poller's next turn, now.
    func refreshSoon() {
        state.withLock { $0.refreshNow = true }
        wake()
    }

    // MARK: the chat list

    /// Fetches the chat list and stores it (the mount does this once before going live).
    /// Against the delta generation the poll is conditional: an unchanged list (304) is
    /// neither sent nor stored again, only the time of the last sync moves.
    @discardableResult
    public func refreshChatList() throws -> ChatListChanges {
        let held = state.withLock { $0.heldList }
        let summaries: [ChatSummary]
        let etag: String?
        switch try service.chatList(ifNoneMatch: held?.etag) {
        case .unchanged:
            guard let held else { throw APIError.malformed("/chat/page-data: 304 to an unconditional request") }
            guard isTechnician else {
                try noteListUnchanged()
                return ChatListChanges()
            }
            (summaries, etag) = (held.summaries, held.etag)
        case .list(let list, let tag):
            (summaries, etag) = (list, tag)
        }
        var entries = summaries.map(ChatListEntry.init)
        var keep: Set<String> = []
        var queueResult: QueueRefresh.Result?
        if isTechnician {
            let result: QueueRefresh.Result
            do {
                result = try queues.fetch(from: service, stored: Dictionary(
                    uniqueKeysWithValues: try cache.queueViews().map { ($0.view, $0) }))
            } catch {
                queues.failed()
                throw error
            }
            entries = Self.merge(requesterChats: entries, queueChats: result.entries)
            keep = try cache.queueMemberChatIDs(excluding: Set(result.members.keys))
            queueResult = result
        }
        let changes = try cache.applyChatList(entries, keep: keep)
        if let queueResult {
            _ = try cache.applyQueues(counts: queueResult.counts, members: queueResult.members)
            queues.stored(queueResult)
        }
        try cache.setMeta(.lastSync, String(Date().timeIntervalSince1970))
        try cache.setMeta(.lastError, nil)
        if !changes.added.isEmpty || !changes.removed.isEmpty || !changes.renamed.isEmpty {
            publish(.chatsChanged(added: changes.added + changes.renamed.map(\.new),
                                  removed: changes.removed + changes.renamed.map(\.old)))
        }
        for rowID in changes.updated { publish(.chatChanged(rowID: rowID)) }
        if !changes.removed.isEmpty { try cache.removeMediaOfVanishedChats() }
        publish(.statusChanged)
        if generation == nil, let probe = summaries.first {
            try detectGeneration(probeChatID: probe.id)
        }
        // Only a list stored in full may be asked about conditionally.
        state.withLock { $0.heldList = etag.map { HeldChatList(etag: $0, summaries: summaries) } }
        return changes
    }

    /// A 304 poll: nothing to store but the time (`chatfs status`), and the error of a
    /// failed poll before it, if any.
    private func noteListUnchanged() throws {
        try cache.setMeta(.lastSync, String(Date().timeIntervalSince1970))
        if state.withLock({ $0.lastListError != nil }) { try cache.setMeta(.lastError, nil) }
        publish(.statusChanged)
    }

    /// A chat both in the requester's list and in the queues: the requester's fields, the
    /// queue's triage.
    static func merge(requesterChats: [ChatListEntry], queueChats: [ChatListEntry]) -> [ChatListEntry] {
        var byID = Dictionary(queueChats.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        for var chat in requesterChats {
            chat.triage = byID[chat.id]?.triage
            byID[chat.id] = chat
        }
        return Array(byID.values)
    }

    /// A listing of a queue view's directory: it is kept fresh from now on, and its first
    /// listing waits (at most `timeout`) for its members.
    public func visitQueue(_ view: String, timeout: Duration) {
        guard let view = TechnicianView(rawValue: view) else { return }
        noteActivity(at: Date())
        let fetched = (try? cache.queueView(view.rawValue))??.membersFetchedAt != nil
        guard let group = queues.listed(view, fetched: fetched) else { return }
        refreshSoon()
        if group.wait(timeout: .now() + timeout.seconds) == .timedOut {
            logger.warning("queue \(view.rawValue) not fetched after \(timeout); listing what is cached")
        }
    }

    private func detectGeneration(probeChatID: String) throws {
        let detected = try service.detectGeneration(probeChatID: probeChatID)
        state.withLock { $0.generation = detected }
        try cache.setMeta(.generation, detected.rawValue)
        logger.info("server generation: \(detected.rawValue)")
    }

    // MARK: visits

    /// A lookup or listing inside a chat: marks the chat in use. The first visit of a chat
    /// never synced waits (at most `firstPageTimeout`) for its newest page; later visits
    /// return at once and, when the chat list shows newer messages, have the poller fetch
    /// them next.
    public func visit(chatRowID: Int64, firstPageTimeout: Duration) {
        let now = Date()
        // Fast path (every lookup in a chat calls this): a chat that holds its first page and
        // was visited recently is already kept fresh by the poller; no database read.
        let (keptFresh, isNewVisit) = state.withLock { state -> (Bool, Bool) in
            let previous = state.visits[chatRowID]
            state.visits[chatRowID] = now
            let keptFresh = state.synced.contains(chatRowID)
                && previous.map { now.timeIntervalSince($0) < configuration.recentUseWindow.seconds } ?? false
            return (keptFresh, previous.map { now.timeIntervalSince($0) > Self.visitGap } ?? true)
        }
        noteActivity(at: now)
        tracker.chatAccessed(chatRowID, at: now)
        if keptFresh {
            if isNewVisit { tracker.count(.chatHits) }
            return
        }
        guard let chat = try? cache.chat(rowID: chatRowID), let sync = try? cache.syncState(chatRowID: chatRowID) else { return }
        if isNewVisit { tracker.count(sync.firstSyncedAt != nil ? .chatHits : .chatMisses) }
        if sync.firstSyncedAt != nil {
            state.withLock { _ = $0.synced.insert(chatRowID) }
            if chat.serverLastSequence > sync.newestHeld {
                state.withLock { _ = $0.urgent.insert(chatRowID) }
                wake()
            }
            return
        }
        let group = firstPageFetch(for: chat)
        if group.wait(timeout: .now() + firstPageTimeout.seconds) == .timedOut {
            logger.warning("first page of \(chat.dirName) not there after \(firstPageTimeout); listing what is cached")
        }
    }

    /// The fetch of a chat's first page, started once however many visitors wait for it.
    private func firstPageFetch(for chat: ChatRecord) -> DispatchGroup {
        let (group, isNew) = state.withLock { state -> (DispatchGroup, Bool) in
            if let running = state.firstPagesInFlight[chat.rowID] { return (running, false) }
            let group = DispatchGroup()
            group.enter()
            state.firstPagesInFlight[chat.rowID] = group
            return (group, true)
        }
        guard isNew else { return group }
        // The media list comes alongside (two more requests), so a first `ls media` shows it.
        group.enter()
        firstPageQueue.async { [self] in
            defer { group.leave() }
            refreshMedia(chat)
        }
        firstPageQueue.async { [self] in
            defer {
                state.withLock { _ = $0.firstPagesInFlight.removeValue(forKey: chat.rowID) }
                group.leave()
            }
            chatLocks.withLock(chat.rowID) { syncChat(chat) }
            wake()  // the poller backfills the rest
        }
        return group
    }

    /// A read in a chat (a message file, an attachment): keeps the chat in use and in the
    /// LRU order. Memory only; the poller writes it with the next batch.
    public func noteAccess(chatRowID: Int64) {
        let now = Date()
        state.withLock { $0.visits[chatRowID] = now }
        noteActivity(at: now)
        tracker.chatAccessed(chatRowID, at: now)
    }

    /// A reader of `.chatfs/events` opened: until it closes, the mount is in use (it polls
    /// at the in-use rate, so what it waits for shows within one short poll).
    public func followingStarted() {
        state.withLock { $0.followers += 1 }
        noteActivity(at: Date())
    }

    /// A reader of `.chatfs/events` closed.
    public func followingEnded() {
        let now = Date()
        state.withLock { state in
            state.followers = max(0, state.followers - 1)
            // The idle period starts now, not when the reader opened.
            state.lastActivity = now
        }
    }

    /// Any use of the mount (a visit, a read, an outbox write) ends an idle period at once:
    /// the poller, waiting out an idle interval, fetches the lists now instead of up to a
    /// minute later.
    private func noteActivity(at now: Date) {
        let wasIdle = state.withLock { state -> Bool in
            defer { state.lastActivity = now }
            return state.followers == 0 && now.timeIntervalSince(state.lastActivity) > configuration.idleAfter.seconds
        }
        if wasIdle { refreshSoon() }
    }

    // MARK: the poller

    private func pollLoop() {
        var lastListRefresh = Date.distantPast
        var interval = configuration.pollInterval.seconds
        var listedChanged: Set<Int64> = []
        removeStrayBlobs()
        while !state.withLock({ $0.stopping }) {
            let refreshNow = state.withLock { state -> Bool in
                defer { state.refreshNow = false }
                return state.refreshNow
            }
            // A refused login waits its turn: listing a queue view will not make it pass.
            let due = (refreshNow && !loginRefused) || Date().timeIntervalSince(lastListRefresh) >= interval
            listedChanged = []
            if due {
                listedChanged = refreshChatListLogged()
                lastListRefresh = Date()
                interval = nextPollInterval()
            }
            flushAccess()
            announceRemovals()
            if loginRefused {
                // Every chat's request would log in again and be refused again.
                _ = wakeSignal.wait(timeout: .now() + max(0, interval - Date().timeIntervalSince(lastListRefresh)))
                continue
            }
            let inUse = chatsInUse(changedFirst: listedChanged)
            for chat in inUse where !state.withLock({ $0.stopping }) {
                chatLocks.withLock(chat.rowID) { syncChat(chat) }
                if (try? mediaList().isDue(chat)) == true { refreshMedia(chat) }
            }
            var moreHistory = false
            let nextList = lastListRefresh.addingTimeInterval(interval)
            for chat in inUse where !state.withLock({ $0.stopping }) {
                moreHistory = chatLocks.withLock(chat.rowID) { backfillChat(chat, until: nextList) } || moreHistory
            }
            if moreHistory { continue }
            let wait = max(0, interval - Date().timeIntervalSince(lastListRefresh))
            _ = wakeSignal.wait(timeout: .now() + wait)
        }
    }

    /// Quick while the mount is used, slower once idle, backing off while the login is
    /// refused, with ±10 % jitter so many clients do not poll the backend in step.
    private func nextPollInterval() -> Double {
        let (lastActivity, followers, technician, refusals) = state.withLock {
            ($0.lastActivity, $0.followers, $0.isTechnician, $0.loginRefusals)
        }
        let idle = followers == 0 && Date().timeIntervalSince(lastActivity) > configuration.idleAfter.seconds
        // A technician's poll makes two calls (the chat list and the queues): idle, it comes
        // half as often, so an idle mount stays at one request a minute.
        let base = idle ? (configuration.idlePollInterval * (technician ? 2 : 1)).seconds
            : LoginBackoff.interval(refusals: refusals, configuration: configuration)
        return base * Double.random(in: 0.9...1.1)
    }

    private var loginRefused: Bool { state.withLock { $0.loginRefusals > 0 } }

    /// Returns the chats whose listed attributes changed (new messages among them).
    private func refreshChatListLogged() -> Set<Int64> {
        do {
            let changes = try refreshChatList()
            let recovered = state.withLock { state -> Bool in
                defer { state.lastListError = nil; state.loginRefusals = 0 }
                return state.lastListError != nil
            }
            if recovered {
                logger.notice("server reachable again")
                onReconnect()
            }
            return Set(changes.updated)
        } catch {
            let message = "\(error)"
            let refused = if case APIError.authenticationFailed = error { true } else { false }
            let isNew = state.withLock { state -> Bool in
                defer { state.lastListError = message }
                state.loginRefusals = refused ? state.loginRefusals + 1 : 0
                return state.lastListError != message
            }
            if isNew {
                let pace = refused ? ", asking again less and less often (up to every \(configuration.idlePollInterval))" : ""
                logger.warning("chat list refresh failed: \(message); serving the cache\(pace)")
            }
            try? cache.setMeta(.lastError, message)
            publish(.statusChanged)
            return []
        }
    }

    /// Chats visited within the recent-use window, the urgent ones first, then those the
    /// last list showed changed: with many chats in use, new messages are fetched right
    /// after the poll that announces them, not after a pass over every other chat.
    private func chatsInUse(changedFirst changed: Set<Int64>) -> [ChatRecord] {
        let now = Date()
        let (visits, urgent) = state.withLock { state -> ([Int64: Date], Set<Int64>) in
            defer { state.urgent.removeAll() }
            return (state.visits, state.urgent)
        }
        let chats = (try? cache.chats()) ?? []
        let rank = { (chat: ChatRecord) in urgent.contains(chat.rowID) ? 0 : changed.contains(chat.rowID) ? 1 : 2 }
        return chats.filter { chat in
            urgent.contains(chat.rowID)
                || visits[chat.rowID].map { now.timeIntervalSince($0) < configuration.recentUseWindow.seconds } ?? false
        }.sorted { rank($0) < rank($1) }
    }

    /// Writes the access times and counters gathered since the last tick, in one batch.
    private func flushAccess() {
        do { try tracker.flush(to: cache) } catch { logger.warning("cannot record access times: \(error)") }
    }

    /// Announces what another process (`chatfs cache clear`) removed from the cache; chats
    /// that lost messages wait for their first page again on the next visit.
    private func announceRemovals() {
        guard (try? cache.hasRemovals()) == true, let removals = try? cache.takeRemovals() else { return }
        for removal in removals {
            switch removal.directory {
            case .messages:
                publish(.messagesRemoved(chatRowID: removal.chatRowID, names: removal.names))
            case .media:
                publish(.mediaChanged(chatRowID: removal.chatRowID, names: removal.names))
            }
        }
        publish(.statusChanged)
    }

    /// Files left in the media folder by a crash or an interrupted download.
    private func removeStrayBlobs() {
        do { try cache.removeStrayBlobs() } catch { logger.warning("cannot tidy the media folder: \(error)") }
    }

    // MARK: one chat

    func history(publish: (@Sendable (ChangeEvent) -> Void)? = nil) -> ChatHistorySync {
        ChatHistorySync(service: service, cache: cache, configuration: configuration,
                        generation: generation ?? .legacy, publish: publish ?? changes.publish)
    }

    func mediaList() -> MediaListSync {
        MediaListSync(service: service, cache: cache, pendingUploadsServed: (generation ?? .legacy) == .legacy, logger: logger,
                      publish: changes.publish)
    }

    /// Fetches a chat's media list; a failure is recorded on that chat.
    func refreshMedia(_ chat: ChatRecord) {
        guard let current = try? cache.chat(rowID: chat.rowID) else { return }
        record(current) { try mediaList().refresh(current) }
    }

    /// Brings one chat up to date; a failure is recorded on that chat and never stops the others.
    func syncChat(_ chat: ChatRecord) {
        // Re-read: the chat list may have moved on since `chat` was read.
        guard let current = try? cache.chat(rowID: chat.rowID) else { return }
        record(current) { try history().refresh(current) }
        if (try? cache.syncState(chatRowID: chat.rowID))?.firstSyncedAt != nil {
            state.withLock { _ = $0.synced.insert(chat.rowID) }
        }
        quotaKeeper.enforce()
    }

    /// Older history of one chat, page after page until the next list poll is due or the
    /// poller is wanted elsewhere (a visit found a chat stale, a refresh was asked for, the
    /// mount stops); true while more remains. Backfill stores only below the quota's low
    /// mark, so one eviction pass after the run is enough.
    private func backfillChat(_ chat: ChatRecord, until nextList: Date) -> Bool {
        var more = false
        record(chat) { more = try history().backfill(chat) { Date() < nextList && !pollerWanted } }
        quotaKeeper.enforce()
        return more
    }

    private var pollerWanted: Bool { state.withLock { $0.stopping || $0.refreshNow || !$0.urgent.isEmpty } }

    private func record(_ chat: ChatRecord, _ work: () throws -> Void) {
        do {
            try work()
        } catch {
            logger.warning("sync of \(chat.dirName) failed: \(error)")
            _ = try? cache.updateSyncState(chatRowID: chat.rowID) { $0.lastError = "\(error)" }
            publish(.statusChanged)
        }
    }
}

/// One lock per chat, so the poller and a first visit never sync the same chat at once.
final class ChatLocks: Sendable {
    private let locks = Locked<[Int64: NSLock]>([:])

    func withLock<T>(_ chatRowID: Int64, _ body: () throws -> T) rethrows -> T {
        let lock = locks.withLock { locks in
            if let lock = locks[chatRowID] { return lock }
            let lock = NSLock()
            locks[chatRowID] = lock
            return lock
        }
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }
}
