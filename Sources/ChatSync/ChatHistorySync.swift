import ChatAPI
import ChatCache
import Foundation

/// Brings one chat's cached history up to date: the newest page first, newer messages by
/// delta (or, against the deployed backend, by paging backwards until it meets what is
/// held), holes filled by range queries, older history paged in behind.
///
/// Callers hold the chat's lock (`ChatLocks`): one history operation per chat at a time.
struct ChatHistorySync: Sendable {
    let service: any ChatService
    let cache: ChatCache
    let configuration: SyncConfiguration
    let generation: ServerGeneration
    let publish: @Sendable (ChangeEvent) -> Void

    /// The deployed backend takes at most 200 per page; the delta-sync one 500.
    var pageSize: Int { generation == .delta ? 500 : 200 }
    /// Further behind than this, catching up page by page is slower than starting over.
    var maxCatchUp: Int { 20 * pageSize }

    /// Fetches whatever the chat needs now: its first page when never synced (or when its
    /// history must be fetched again), else the messages newer than the newest held.
    func refresh(_ chat: ChatRecord, now: Date = Date()) throws {
        let state = try cache.syncState(chatRowID: chat.rowID)
        if state.firstSyncedAt == nil {
            try fetchNewestPage(chat, now: now)
        } else if let reason = resyncReason(chat, state, now: now) {
            try resync(chat, reason: reason, now: now)
        } else if chat.serverLastSequence < state.newestHeld {
            try checkForReset(chat, state, now: now)
        } else if chat.serverLastSequence > state.newestHeld {
            try catchUp(chat, from: state.newestHeld, now: now)
        }
    }

    func resyncReason(_ chat: ChatRecord, _ state: ChatSyncState, now: Date) -> String? {
        if state.gapCount > configuration.maxGapsBeforeResync { return "\(state.gapCount) gaps" }
        if let full = state.fullSyncAt, now.timeIntervalSince(full) > configuration.historyTTL.seconds { return "older than the TTL" }
        if chat.serverLastSequence - state.newestHeld > maxCatchUp { return "too far behind" }
        return nil
    }

    /// The chat list shows fewer messages than the cache holds. Usually the list is older
    /// than messages fetched since (sent after it was taken: a catch-up or a first page
    /// fetches what is newest *now*); only a reset of the server's history is a reason to
    /// fetch again. The server's newest message tells them apart (defect 1 of issue 12: this
    /// was taken for a reset, and the chat listed empty until its history came back).
    private func checkForReset(_ chat: ChatRecord, _ state: ChatSyncState, now: Date) throws {
        let newest = try service.messages(chatID: chat.id, .newest(limit: 1)).messages.last?.sequenceNumber ?? 0
        guard newest >= state.newestHeld else {
            try resync(chat, reason: "the server's history was reset", now: now)
            return
        }
        try cache.raiseServerLastSequence(chatRowID: chat.rowID, to: newest)
        if newest > state.newestHeld { try catchUp(chat, from: state.newestHeld, now: now) }
    }

    /// Fetches the newest page again and replaces the held history with it in one
    /// transaction: the listing goes from the old messages to the new ones, never through
    /// an empty directory. The chat's transcript stays (`tail -f` goes on) unless the
    /// server's history was reset (its sequences mean other messages now: its newest is
    /// below what we hold); what came after the newest held message is news.
    func resync(_ chat: ChatRecord, reason: String, now: Date) throws {
        let newestHeld = try cache.syncState(chatRowID: chat.rowID).newestHeld
        let page = try service.messages(chatID: chat.id, .newest(limit: pageSize))
        let historyReset = (page.messages.last?.sequenceNumber ?? 0) < newestHeld
        let (removed, added) = try cache.replaceMessages(with: page.messages.map(IncomingMessage.init), chatRowID: chat.rowID,
                                                         keepingTranscript: !historyReset)
        if !removed.isEmpty { publish(.messagesRemoved(chatRowID: chat.rowID, names: removed)) }
        announce(added, chat, arrivedAfter: historyReset ? .max : newestHeld)
        try markFirstPage(page, chat, now: now)
    }

    /// The newest page, listed at once; older history follows in `backfill`.
    /// `arrivedAfter`: the messages above this sequence are news (none on a first sync).
    func fetchNewestPage(_ chat: ChatRecord, now: Date, arrivedAfter: Int = .max) throws {
        let page = try service.messages(chatID: chat.id, .newest(limit: pageSize))
        try store(page.messages, chat, arrivedAfter: arrivedAfter)
        try markFirstPage(page, chat, now: now)
    }

    /// The checkpoint of a chat whose history starts (again) with `page`, its newest.
    private func markFirstPage(_ page: MessagePage, _ chat: ChatRecord, now: Date) throws {
        let oldest = page.messages.first?.sequenceNumber ?? 0
        try cache.updateSyncState(chatRowID: chat.rowID) { state in
            state.firstSyncedAt = now
            state.fullSyncAt = now
            state.lastSyncedAt = now
            state.gapCount = 0
            state.lastError = nil
            state.backfillDone = oldest <= 1 || page.hasMore == false
        }
    }

    /// Messages newer than `held`, then any hole among them filled.
    func catchUp(_ chat: ChatRecord, from held: Int, now: Date) throws {
        let fetched = generation == .delta ? try deltaSince(chat, held) : try pagesBackTo(chat, held)
        try store(fetched, chat, arrivedAfter: 0)
        var holes = 0
        if let newest = fetched.last?.sequenceNumber, newest > held {
            for gap in try cache.missingSequences(chatRowID: chat.rowID, in: (held + 1)...newest) {
                try store(try fill(chat, gap), chat, arrivedAfter: 0)
                holes += 1
            }
        }
        try cache.updateSyncState(chatRowID: chat.rowID) { state in
            state.gapCount += holes
            state.lastSyncedAt = now
            state.lastError = nil
        }
    }

    /// Delta mode: pages of `since_sequence` until the server says nothing newer exists.
    private func deltaSince(_ chat: ChatRecord, _ held: Int) throws -> [ChatMessage] {
        var collected: [ChatMessage] = []
        var cursor = held
        while collected.count <= maxCatchUp {
            let page = try service.messages(chatID: chat.id, .since(sequence: cursor, limit: pageSize))
            guard let newest = page.messages.last?.sequenceNumber, newest > cursor else { break }
            collected += page.messages
            cursor = newest
            if !(page.hasNewer ?? (page.messages.count == pageSize)) { break }
        }
        return collected
    }

    /// Deployed backend: newest page, then `before_sequence` pages until reaching `held`.
    /// Stored only once complete, so an interruption never leaves a hole above `held`.
    private func pagesBackTo(_ chat: ChatRecord, _ held: Int) throws -> [ChatMessage] {
        var collected: [ChatMessage] = []
        var query = MessageQuery.newest(limit: pageSize)
        while collected.count <= maxCatchUp {
            let page = try service.messages(chatID: chat.id, query)
            collected.insert(contentsOf: page.messages.filter { $0.sequenceNumber > held }, at: 0)
            guard let oldest = page.messages.first?.sequenceNumber, oldest > held + 1, oldest > 1,
                  page.hasMore != false else { break }
            query = .before(sequence: oldest, limit: pageSize)
        }
        return collected
    }

    /// The messages of one hole: a range query, or a cursor page ending at the hole.
    private func fill(_ chat: ChatRecord, _ gap: ClosedRange<Int>) throws -> [ChatMessage] {
        switch generation {
        case .delta:
            return try service.messages(chatID: chat.id, .range(from: gap.lowerBound, through: gap.upperBound)).messages
        case .legacy:
            let page = try service.messages(chatID: chat.id, .before(sequence: gap.upperBound + 1, limit: min(pageSize, gap.count)))
            return page.messages.filter { gap.contains($0.sequenceNumber) }
        }
    }

    /// Pages older history in below the oldest held: one page, then more while `another`
    /// says so (asked before each further page). Each next page is requested while the one
    /// before it is stored (`PageRequest`), in order, each page in one transaction, so the
    /// held range always ends at a stored page. Returns false when history is complete, or
    /// when the cache has no room for more (`ChatCache.hasRoomForHistory`: a chat bigger
    /// than the quota keeps its newest messages; backfill resumes when room is made; a page
    /// requested ahead is then dropped unstored).
    @discardableResult
    func backfill(_ chat: ChatRecord, another: () throws -> Bool = { false }) throws -> Bool {
        let state = try cache.syncState(chatRowID: chat.rowID)
        guard state.firstSyncedAt != nil, !state.backfillDone, try cache.hasRoomForHistory() else { return false }
        guard state.oldestHeld > 1 else {
            try cache.updateSyncState(chatRowID: chat.rowID) { $0.backfillDone = true }
            return false
        }
        var below = state.oldestHeld
        var request = olderPage(chat, below: below)
        while true {
            let page = try request.page()
            let next = nextBelow(below, after: page)
            let goesOn = try next != nil && another()
            if let next, goesOn { request = olderPage(chat, below: next) }
            guard let added = try cache.storeHistoryPage(page.messages.map(IncomingMessage.init), chatRowID: chat.rowID,
                                                         below: below, continuingBelow: next) else {
                return true  // eviction raised the held range meanwhile: start again from there
            }
            announce(added, chat, arrivedAfter: .max)
            guard let next else { return false }
            guard goesOn else { return true }
            guard try cache.hasRoomForHistory() else { return false }
            below = next
        }
    }

    /// Requests the page of history just below `sequence`: a window of sequences on the
    /// delta generation, a cursor page on the deployed one.
    private func olderPage(_ chat: ChatRecord, below sequence: Int) -> PageRequest {
        let query: MessageQuery = switch generation {
        case .delta: .range(from: max(1, sequence - pageSize), through: sequence - 1)
        case .legacy: .before(sequence: sequence, limit: pageSize)
        }
        return PageRequest(service: service, chatID: chat.id, query: query)
    }

    /// Where history continues below `page` (fetched below `sequence`); nil when the page
    /// reached its start. Known before the page is stored, so the next one can be requested.
    private func nextBelow(_ sequence: Int, after page: MessagePage) -> Int? {
        switch generation {
        case .delta:
            let windowStart = max(1, sequence - pageSize)
            return windowStart > 1 ? windowStart : nil
        case .legacy:
            guard let oldest = page.messages.first?.sequenceNumber, oldest > 1, page.hasMore != false else { return nil }
            return oldest
        }
    }

    /// `arrivedAfter`: the messages above this sequence are new in the conversation (caught
    /// up after the first sync), the others history fetched for the first time.
    private func store(_ messages: [ChatMessage], _ chat: ChatRecord, arrivedAfter: Int) throws {
        guard !messages.isEmpty else { return }
        announce(try cache.storeMessages(messages.map(IncomingMessage.init), chatRowID: chat.rowID), chat, arrivedAfter: arrivedAfter)
    }

    /// Publishes stored message files, those above `arrivedAfter` as arrivals.
    private func announce(_ added: [String], _ chat: ChatRecord, arrivedAfter: Int) {
        let arrived = added.filter { (MessageFormat.sequence(inFileName: $0) ?? 0) > arrivedAfter }
        let history = added.filter { (MessageFormat.sequence(inFileName: $0) ?? 0) <= arrivedAfter }
        if !history.isEmpty { publish(.messagesAdded(chatRowID: chat.rowID, names: history, arrived: false)) }
        if !arrived.isEmpty { publish(.messagesAdded(chatRowID: chat.rowID, names: arrived, arrived: true)) }
    }
}

extension Duration {
    /// The duration in seconds (Foundation's time intervals).
    public var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
