import ChatAPI
import ChatCache
import ChatSync
import Foundation
import Logging
import Locking

/// The sender thread: per chat, in order, each due message exactly once. It claims an
/// item (`waiting` → `sending`, a compare-and-set), attempts it, and releases it (sent: a
/// message file; else `waiting` again or `failed`), then tells `attemptEnded`. Also tells
/// the server about chats marked read.
///
/// Never twice: each message carries the `clientTempID` stored before its first attempt;
/// an attempt that may have reached the server makes the next one follow `ResendRule`.
final class OutboxSender: Sendable {
    let store: OutboxStore
    let cache: ChatCache
    let service: any OutboxService
    let username: String?
    let configuration: OutboxConfiguration
    let changes: ChangeFeed
    let logger: Logger
    private let attemptEnded: NSCondition

    private struct State {
        var rateLimitStreak = 0
        var stopping = false
    }

    private let state = Locked(State())
    private let wakeSignal = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)

    init(store: OutboxStore, cache: ChatCache, service: any OutboxService, username: String?, configuration: OutboxConfiguration,
         changes: ChangeFeed, logger: Logger, attemptEnded: NSCondition) {
        self.store = store
        self.cache = cache
        self.service = service
        self.username = username
        self.configuration = configuration
        self.changes = changes
        self.logger = logger
        self.attemptEnded = attemptEnded
    }

    func start() {
        let thread = Thread { [self] in
            recoverInterruptedAttempts()
            while !isStopping {
                let nextDue = runPass()
                applyReadRequests()
                let wait = nextDue.map { max(0, $0.timeIntervalSince(configuration.now())) } ?? 30
                _ = wakeSignal.wait(timeout: .now() + min(wait, 30))
            }
            finished.signal()
        }
        thread.name = "chatfs-outbox"
        thread.start()
    }

    func stop(timeout: Duration) {
        state.withLock { $0.stopping = true }
        wakeSignal.signal()
        _ = finished.wait(timeout: .now() + timeout.seconds)
    }

    func wake() { wakeSignal.signal() }

    private var isStopping: Bool { state.withLock { $0.stopping } }

    /// A crash or a kill left these in flight: they may have reached the server.
    func recoverInterruptedAttempts() {
        do {
            let count = try store.recoverInterruptedAttempts(now: configuration.now())
            if count > 0 { logger.notice("\(count) message(s) were being sent when chatfs stopped; looking before sending again") }
        } catch {
            logger.error("cannot read the outbox: \(error)")
        }
    }

    /// Attempts every due head of a chat's queue; returns when the next one is due. Each
    /// attempt ends with a broadcast on `attemptEnded` (waiting filesystem calls, the barrier).
    func runPass() -> Date? {
        defer { broadcastAttemptEnded() }
        while !isStopping {
            let heads: [OutboxRecord]
            do { heads = try store.heads() } catch {
                logger.error("cannot read the outbox: \(error)")
                return configuration.now().addingTimeInterval(5)
            }
            let now = configuration.now()
            let waiting = heads.filter { $0.state == .waiting }
            let due = waiting.filter { ($0.nextAttemptAt ?? .distantPast) <= now }
            guard !due.isEmpty else { return waiting.compactMap(\.nextAttemptAt).min() }
            var attempted = false
            for head in due where !isStopping {
                let claimed: OutboxRecord?
                do { claimed = try store.claim(rowID: head.rowID, now: now) } catch {
                    logger.error("cannot claim \(head.name): \(error)")
                    continue
                }
                // Nil: a rewrite, rename or rm got there first.
                guard let claimed else { continue }
                attempted = true
                attempt(claimed)
                broadcastAttemptEnded()
            }
            // Nothing could be claimed (the database refuses): look again in a moment rather
            // than spin on the same heads.
            if !attempted { return configuration.now().addingTimeInterval(1) }
        }
        return nil
    }

    private func broadcastAttemptEnded() {
        attemptEnded.lock()
        attemptEnded.broadcast()
        attemptEnded.unlock()
    }

    private func publish(_ event: ChangeEvent) { changes.publish(event) }

    // MARK: one attempt

    /// What one attempt came to, besides an error.
    private enum Result {
        case sent(ChatMessage)
        /// An action (a take) the server carried out.
        case done
        /// An earlier attempt may still land: look again then, send nothing now.
        case lookAgain(at: Date)
    }

    /// One attempt of a claimed item (state `sending`): it always ends released.
    private func attempt(_ item: OutboxRecord) {
        let chat = try? cache.chat(id: item.chatID)
        publish(.outboxChanged(chatRowID: chat?.rowID, names: [item.listedName]))
        var mayBeOnServer = item.needsCheck
        do {
            switch try attemptResult(item, mayBeOnServer: &mayBeOnServer) {
            case .sent(let message):
                state.withLock { $0.rateLimitStreak = 0 }
                try complete(item, message, chat)
            case .done:
                _ = try store.complete(rowID: item.rowID, as: nil, chatRowID: chat?.rowID)
                logger.info("took the ticket of \(chat?.dirName ?? item.chatID)")
                publish(.outboxOutcome(OutboxOutcome(chatID: item.chatID, chatRowID: chat?.rowID, name: item.name,
                                                     result: .sent(sequence: nil))))
                publish(.queuesStale)
            case .lookAgain(let at):
                let reason = "the last attempt got no answer; waiting to see whether it reached the server before sending again"
                try store.release(rowID: item.rowID, SendPolicy.Outcome(
                    attempts: item.attempts, state: .waiting, nextAttemptAt: at, needsCheck: true, startsDoubt: false,
                    reason: reason, now: configuration.now()))
                if item.lastError != reason { logger.notice("\(item.name): \(reason)") }
            }
        } catch let error as APIError {
            recordFailure(item, error, mayBeOnServer: mayBeOnServer, chat: chat)
        } catch {
            logger.error("cannot send \(item.name): \(error)")
            _ = try? store.release(rowID: item.rowID, SendPolicy.Outcome(
                attempts: item.attempts, state: .waiting, nextAttemptAt: configuration.now().addingTimeInterval(30),
                needsCheck: true, startsDoubt: false, reason: "\(error)", now: configuration.now()))
        }
        publish(.outboxChanged(chatRowID: chat?.rowID, names: [item.listedName]))
        publish(.statusChanged)
    }

    private func attemptResult(_ item: OutboxRecord, mayBeOnServer: inout Bool) throws -> Result {
        if item.action == Outbox.takeAction { return try attemptTake(item) }
        guard let content = try store.content(rowID: item.rowID) else { throw OutboxWithdrawn() }
        let text = OutboxPolicy.messageText(name: item.name, kind: item.attachmentKind, content: content)
        let uploadPending = item.attachmentKind != nil && item.uploadedName == nil
        var uploadedName = item.uploadedName
        if ResendRule.beforeAttempt(needsCheck: item.needsCheck, deduplicates: serverDeduplicates,
                                    isAttachmentPending: uploadPending) == .look {
            if let existing = try findOnServer(item, text: text) {
                logger.notice("\(item.name): already on the server (sequence \(existing.sequenceNumber)); not sending again")
                return .sent(existing)
            }
            if uploadPending, let kind = item.attachmentKind, let found = try findUpload(item, kind: kind) {
                try store.recordUpload(rowID: item.rowID, uploadedName: found)
                uploadedName = found
            }
            // No attempt got past its upload (the message goes only after the upload is
            // recorded), so once that upload is found nothing else can still land: send the
            // message now instead of waiting out the settle window for it.
            let uploadWasAllInDoubt = uploadPending && uploadedName != nil
            if !uploadWasAllInDoubt,
               case .lookAgain(let at) = ResendRule.afterMiss(inDoubtSince: item.inDoubtSince, now: configuration.now(),
                                                              settleWindow: configuration.settleWindow.seconds) {
                return .lookAgain(at: at)
            }
            mayBeOnServer = false
        }
        if let kind = item.attachmentKind, uploadedName == nil {
            uploadedName = try upload(item, kind: kind, content: content)
        }
        try store.markMayReachServer(rowID: item.rowID)
        return .sent(try service.send(outgoingMessage(item, text: text, uploadedName: uploadedName, size: content.count)))
    }

    /// Whether the server deduplicates sends by `clientTempId` (the delta generation).
    private var serverDeduplicates: Bool {
        (try? cache.meta(.generation)) == ServerGeneration.delta.rawValue
    }

    private func outgoingMessage(_ item: OutboxRecord, text: String, uploadedName: String?, size: Int) -> OutgoingMessage {
        switch item.attachmentKind {
        case nil:
            OutgoingMessage(chatID: item.chatID, content: text, clientTempID: item.clientTempID)
        case .screenshot:
            OutgoingMessage(chatID: item.chatID, content: text, clientTempID: item.clientTempID,
                            isScreenshot: true, screenshotFileName: uploadedName)
        case .file:
            OutgoingMessage(chatID: item.chatID, content: text, clientTempID: item.clientTempID,
                            fileName: uploadedName, fileSize: size, fileMimeType: item.mimeType ?? "application/octet-stream")
        }
    }

    /// Uploads the attachment from its stored bytes; once it is on the server only the
    /// announcing message remains, so a retry never uploads twice.
    private func upload(_ item: OutboxRecord, kind: AttachmentKind, content: [UInt8]) throws -> String {
        try store.markMayReachServer(rowID: item.rowID)
        let info = try service.upload(kind == .screenshot ? .screenshot : .chatFile, chatID: item.chatID, fileName: item.name,
                                      mimeType: item.mimeType ?? "application/octet-stream", contents: Data(content))
        guard let stored = info.fileName else { throw APIError.malformed("the upload answer names no file") }
        try store.recordUpload(rowID: item.rowID, uploadedName: stored)
        logger.info("uploaded \(item.name) as \(stored)")
        return stored
    }

    private func recordFailure(_ item: OutboxRecord, _ error: APIError, mayBeOnServer: Bool, chat: ChatRecord?) {
        let streak = state.withLock { state -> Int in
            defer { if case .rateLimited = error { state.rateLimitStreak += 1 } else { state.rateLimitStreak = 0 } }
            return state.rateLimitStreak
        }
        let outcome = SendPolicy.outcome(of: error, attempts: item.attempts, mayBeOnServer: mayBeOnServer,
                                         rateLimitStreak: streak, now: configuration.now())
        do {
            try store.release(rowID: item.rowID, outcome)
        } catch {
            logger.error("cannot record the failure of \(item.name): \(error)")
        }
        let place = "\(chat?.dirName ?? item.chatID)/outbox/\(item.name)"
        if outcome.state == .failed {
            logger.error("\(place) failed: \(outcome.reason)")
            publish(.outboxChanged(chatRowID: chat?.rowID, names: [item.name + OutboxNames.failedSuffix]))
            publish(.outboxOutcome(OutboxOutcome(chatID: item.chatID, chatRowID: chat?.rowID, name: item.name,
                                                 result: .failed(reason: outcome.reason))))
        } else if outcome.reason != item.lastError {
            // A change of state, not every retry: offline, the same reason repeats every few seconds.
            logger.warning("\(place): \(outcome.reason); trying again by itself")
        }
    }

    private func complete(_ item: OutboxRecord, _ message: ChatMessage, _ chat: ChatRecord?) throws {
        var incoming = IncomingMessage(message)
        incoming.clientTempID = item.clientTempID
        let name = try store.complete(rowID: item.rowID, as: incoming, chatRowID: chat?.rowID)
        logger.info("sent \(item.name) to \(chat?.dirName ?? item.chatID) as sequence \(message.sequenceNumber)")
        if let name, let chat { publish(.messagesAdded(chatRowID: chat.rowID, names: [name], arrived: true)) }
        publish(.outboxOutcome(OutboxOutcome(chatID: item.chatID, chatRowID: chat?.rowID, name: item.name,
                                             result: .sent(sequence: message.sequenceNumber))))
    }

    /// A take: after an attempt that may have gone through, the server would refuse a
    /// second one (the ticket has an assignee: us), so look first.
    private func attemptTake(_ item: OutboxRecord) throws -> Result {
        if item.needsCheck, try isAssignedToUs(chatID: item.chatID) { return .done }
        try store.markMayReachServer(rowID: item.rowID)
        _ = try service.take(requestID: item.chatID)
        return .done
    }

    private func isAssignedToUs(chatID: String) throws -> Bool {
        for page in 1...10 {
            let answer = try service.technicianView(.allYourRequests, page: page, perPage: 100)
            if answer.items.contains(where: { $0.id == chatID }) { return true }
            if answer.items.count < 100 { return false }
        }
        return false
    }

    // MARK: looking for an earlier attempt

    /// The message, if an earlier attempt did reach the server: by clientTempId where the
    /// server returns it; else (the deployed backend) by our username, the exact text and a
    /// time after the enqueue. A server message already claimed by another of our sends
    /// never matches twice.
    private func findOnServer(_ item: OutboxRecord, text: String) throws -> ChatMessage? {
        let text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let since = (item.enqueuedAt ?? .distantPast).addingTimeInterval(-300)  // clock skew
        var query = MessageQuery.newest(limit: 200)
        for _ in 0..<10 {
            let page = try service.messages(chatID: item.chatID, query)
            for message in page.messages.reversed() {
                if let id = message.clientTempId {
                    if id == item.clientTempID { return message }
                    continue
                }
                guard message.sender?.username == username || username == nil, message.text == text,
                      message.createdAt >= since, !(try isClaimed(message, by: item)) else { continue }
                return message
            }
            guard let oldest = page.messages.first, oldest.createdAt >= since, oldest.sequenceNumber > 1 else { return nil }
            query = .before(sequence: oldest.sequenceNumber, limit: 200)
        }
        return nil
    }

    private func isClaimed(_ message: ChatMessage, by item: OutboxRecord) throws -> Bool {
        guard let chat = try cache.chat(id: item.chatID),
              let held = try cache.message(chatRowID: chat.rowID, sequence: message.sequenceNumber) else { return false }
        return held.clientTempID != nil && held.clientTempID != item.clientTempID
    }

    /// An upload an earlier attempt made: same name (screenshots are renamed around the
    /// stem), same size, uploaded after the enqueue.
    private func findUpload(_ item: OutboxRecord, kind: AttachmentKind) throws -> String? {
        let since = (item.enqueuedAt ?? .distantPast).addingTimeInterval(-300)
        let stem = (item.name as NSString).deletingPathExtension
        let candidates: [MediaInfo] = kind == .screenshot
            ? try service.screenshots(chatID: item.chatID).map(MediaInfo.init)
            : try service.chatFiles(chatID: item.chatID).map(MediaInfo.init)
        return candidates.filter { media in
            guard let name = media.fileName, (media.createdAt ?? .distantPast) >= since else { return false }
            let sameName = kind == .screenshot ? name.contains("_\(stem)_") : name == item.name
            return sameName && (media.fileSize == nil || media.fileSize == item.size)
        }.max { ($0.createdAt ?? .distantPast) < ($1.createdAt ?? .distantPast) }?.fileName
    }

    // MARK: read state

    private func applyReadRequests() {
        guard let requests = try? cache.readRequests() else { return }
        for request in requests where !isStopping {
            do {
                _ = try service.markRead(chatID: request.chatID)
                try cache.completeReadRequest(chatID: request.chatID, requestedAt: request.requestedAt)
            } catch let error as APIError where error.isOffline {
                return  // everything waits for the server to come back
            } catch {
                logger.warning("marking a chat read failed: \(error)")
                if case APIError.permanent = error {
                    _ = try? cache.completeReadRequest(chatID: request.chatID, requestedAt: request.requestedAt)
                }
            }
        }
    }
}

/// The item's row vanished while it was claimed (it cannot: nothing else changes a row in
/// `sending`; a crash recovery would have to race the sender).
private struct OutboxWithdrawn: Error {}
