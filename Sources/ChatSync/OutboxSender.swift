import ChatAPI
import ChatCache
import Foundation
import Logging
import Synchronization

/// Sends what the outbox queued, per chat in order, exactly once: each message carries
/// the `clientTempID` stored before its first attempt, and after an attempt that may have
/// reached the server (a timeout, a dropped connection, a crash) the chat is searched for
/// the message before it is sent again. Also tells the server about chats marked read.
///
/// Runs on its own thread so a slow send never delays the tree's freshness.
final class OutboxSender: Sendable {
    let service: any ChatService
    let cache: ChatCache
    let logger: Logger
    /// Our username, to recognize our own messages where the server returns no clientTempId.
    let username: String?
    let changes: ChangeFeed

    private struct State {
        var sending: Int64?
        var rateLimitStreak = 0
        var stopping = false
        var drainWaiters = 0
    }

    private let state = Mutex(State())
    private let wakeSignal = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)
    /// Signalled after every pass, so `waitUntilDrained` re-checks.
    private let passCompleted = NSCondition()

    init(service: any ChatService, cache: ChatCache, username: String?, logger: Logger, changes: ChangeFeed) {
        self.service = service
        self.cache = cache
        self.username = username
        self.logger = logger
        self.changes = changes
    }

    private func publish(_ event: ChangeEvent) { changes.publish(event) }

    /// The outbox row being sent right now, if any (shown as `sending`).
    var sendingRowID: Int64? { state.withLock { $0.sending } }

    func start() {
        let thread = Thread { [self] in
            loop()
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

    /// Blocks until no message is pending (each sent or failed), or until `timeout`.
    /// Returns whether the queue drained.
    func waitUntilDrained(timeout: Duration) -> Bool {
        let deadline = Date().addingTimeInterval(timeout.seconds)
        wake()
        passCompleted.lock()
        defer { passCompleted.unlock() }
        while ((try? cache.pendingOutboxCount()) ?? 1) > 0 {
            if !passCompleted.wait(until: min(deadline, Date().addingTimeInterval(0.5))) && Date() >= deadline {
                return (try? cache.pendingOutboxCount()) == 0
            }
        }
        return true
    }

    private func loop() {
        while !state.withLock({ $0.stopping }) {
            let nextDue = sendDueMessages()
            applyReadRequests()
            passCompleted.lock()
            passCompleted.broadcast()
            passCompleted.unlock()
            let wait = nextDue.map { max(0, $0.timeIntervalSinceNow) } ?? 30
            _ = wakeSignal.wait(timeout: .now() + wait)
        }
    }

    /// Sends the due head of each chat's queue; returns when the next one is due.
    private func sendDueMessages() -> Date? {
        var nextDue: Date?
        while !state.withLock({ $0.stopping }) {
            let heads: [OutboxItem]
            do { heads = try cache.outboxHeads() } catch {
                logger.error("cannot read the outbox: \(error)")
                return Date().addingTimeInterval(5)
            }
            let now = Date()
            let due = heads.filter { ($0.nextAttemptAt ?? .distantPast) <= now }
            nextDue = heads.compactMap(\.nextAttemptAt).filter { $0 > now }.min()
            guard !due.isEmpty else { return nextDue }
            for item in due where !state.withLock({ $0.stopping }) { send(item) }
        }
        return nextDue
    }

    private func send(_ item: OutboxItem) {
        state.withLock { $0.sending = item.rowID }
        defer { state.withLock { $0.sending = nil } }
        let chat = try? cache.chat(id: item.chatID)
        publish(.outboxChanged(chatRowID: chat?.rowID, names: [item.listedName]))
        // True until the server is known not to hold the message.
        var mayBeOnServer = item.needsCheck
        do {
            if item.needsCheck {
                if let existing = try findOnServer(item) {
                    logger.notice("\(item.name): already on the server (sequence \(existing.sequenceNumber)); not sending again")
                    try complete(item, existing, chat)
                    return
                }
                mayBeOnServer = false
            }
            let outgoing = try outgoingMessage(for: item, mayBeOnServer: &mayBeOnServer)
            guard try cache.markSendAttempt(rowID: item.rowID) else { return }
            let sent = try service.send(outgoing)
            state.withLock { $0.rateLimitStreak = 0 }
            try complete(item, sent, chat)
            logger.info("sent \(item.name) to \(chat?.dirName ?? item.chatID) as sequence \(sent.sequenceNumber)")
        } catch let error as APIError {
            let streak = state.withLock { state -> Int in
                defer { if case .rateLimited = error { state.rateLimitStreak += 1 } else { state.rateLimitStreak = 0 } }
                return state.rateLimitStreak
            }
            let outcome = SendPolicy.outcome(of: error, attempts: item.attempts, rateLimitStreak: streak, now: Date())
            do {
                try cache.recordSendFailure(rowID: item.rowID, attempts: outcome.attempts, state: outcome.state,
                                            nextAttemptAt: outcome.nextAttemptAt, error: outcome.reason, needsCheck: outcome.needsCheck || mayBeOnServer)
            } catch {
                logger.error("cannot record the failure of \(item.name): \(error)")
            }
            if outcome.state == .failed {
                logger.error("\(item.name) in \(chat?.dirName ?? item.chatID) failed: \(outcome.reason)")
                publish(.outboxChanged(chatRowID: chat?.rowID, names: [item.listedName, item.name + OutboxNames.failedSuffix]))
            } else {
                logger.warning("\(item.name): \(outcome.reason); next attempt \(outcome.nextAttemptAt.map { "in \(Int($0.timeIntervalSinceNow.rounded())) s" } ?? "later")")
                publish(.outboxChanged(chatRowID: chat?.rowID, names: [item.listedName]))
            }
        } catch is OutboxWithdrawn {
            return
        } catch {
            logger.error("cannot send \(item.name): \(error)")
            _ = try? cache.recordSendFailure(rowID: item.rowID, attempts: item.attempts, state: .pending,
                                             nextAttemptAt: Date().addingTimeInterval(30), error: "\(error)", needsCheck: true)
        }
        publish(.statusChanged)
    }

    /// The message to send for an item: its text, or for an attachment the announcement the
    /// product's apps send (`[Screenshot]` / `[File: name]`) once the upload is done.
    private func outgoingMessage(for item: OutboxItem, mayBeOnServer: inout Bool) throws -> OutgoingMessage {
        guard let kind = item.attachmentKind else {
            return OutgoingMessage(chatID: item.chatID, content: Self.messageText(item), clientTempID: item.clientTempID)
        }
        let mimeType = item.mimeType ?? "application/octet-stream"
        let stored = try item.uploadedName ?? upload(item, kind: kind, mimeType: mimeType, mayBeOnServer: &mayBeOnServer)
        switch kind {
        case .screenshot:
            return OutgoingMessage(chatID: item.chatID, content: Self.messageText(item), clientTempID: item.clientTempID,
                                   isScreenshot: true, screenshotFileName: stored)
        case .file:
            return OutgoingMessage(chatID: item.chatID, content: Self.messageText(item), clientTempID: item.clientTempID,
                                   fileName: stored, fileSize: item.content.count, fileMimeType: mimeType)
        }
    }

    /// The message's text: the file's, or an attachment's announcement.
    static func messageText(_ item: OutboxItem) -> String {
        switch item.attachmentKind {
        case nil: item.text
        case .screenshot: "[Screenshot]"
        case .file: "[File: \(item.name)]"
        }
    }

    /// Uploads an attachment once: after an attempt that may have reached the server, the
    /// chat's attachments are searched (same name, same size, uploaded after the enqueue)
    /// before uploading again.
    private func upload(_ item: OutboxItem, kind: AttachmentKind, mimeType: String, mayBeOnServer: inout Bool) throws -> String {
        let mediaKind: MediaKind = kind == .screenshot ? .screenshot : .chatFile
        if mayBeOnServer, let found = try findUpload(item, kind: mediaKind) {
            try cache.recordUpload(rowID: item.rowID, uploadedName: found)
            return found
        }
        mayBeOnServer = false
        let staging = cache.directory.appendingPathComponent("upload-\(item.rowID)").path
        guard FileManager.default.createFile(atPath: staging, contents: Data(item.content), attributes: [.posixPermissions: 0o600]) else {
            throw CacheError.cannotOpen(staging, "cannot stage the attachment")
        }
        defer { try? FileManager.default.removeItem(atPath: staging) }
        guard try cache.markSendAttempt(rowID: item.rowID) else { throw OutboxWithdrawn() }
        let info = try service.upload(mediaKind, chatID: item.chatID, fileName: item.name, mimeType: mimeType, contentsOf: staging)
        guard let stored = info.fileName else { throw APIError.malformed("the upload answer names no file") }
        try cache.recordUpload(rowID: item.rowID, uploadedName: stored)
        logger.info("uploaded \(item.name) as \(stored)")
        return stored
    }

    private func findUpload(_ item: OutboxItem, kind: MediaKind) throws -> String? {
        let since = (item.enqueuedAt ?? .distantPast).addingTimeInterval(-300)
        let stem = (item.name as NSString).deletingPathExtension
        let candidates: [MediaInfo] = kind == .screenshot
            ? try service.screenshots(chatID: item.chatID).map(MediaInfo.init)
            : try service.chatFiles(chatID: item.chatID).map(MediaInfo.init)
        return candidates.filter { media in
            guard let name = media.fileName, (media.createdAt ?? .distantPast) >= since else { return false }
            let sameName = kind == .screenshot ? name.contains("_\(stem)_") : name == item.name
            return sameName && (media.fileSize == nil || media.fileSize == item.content.count)
        }.max { ($0.createdAt ?? .distantPast) < ($1.createdAt ?? .distantPast) }?.fileName
    }

    /// The message, if an earlier attempt did reach the server: by clientTempId where the
    /// server returns it; else (the deployed backend) by our username, the exact text and a
    /// time after the enqueue. A server message already claimed by another of our sends
    /// never matches twice.
    private func findOnServer(_ item: OutboxItem) throws -> ChatMessage? {
        let text = Self.messageText(item).trimmingCharacters(in: .whitespacesAndNewlines)
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

    private func isClaimed(_ message: ChatMessage, by item: OutboxItem) throws -> Bool {
        guard let chat = try cache.chat(id: item.chatID),
              let held = try cache.message(chatRowID: chat.rowID, sequence: message.sequenceNumber) else { return false }
        return held.clientTempID != nil && held.clientTempID != item.clientTempID
    }

    private func complete(_ item: OutboxItem, _ message: ChatMessage, _ chat: ChatRecord?) throws {
        var incoming = IncomingMessage(message)
        incoming.clientTempID = item.clientTempID
        let name = try cache.completeSend(rowID: item.rowID, as: incoming, chatRowID: chat?.rowID)
        publish(.outboxChanged(chatRowID: chat?.rowID, names: [item.listedName]))
        if let name, let chat { publish(.messagesAdded(chatRowID: chat.rowID, names: [name])) }
    }

    private func applyReadRequests() {
        guard let requests = try? cache.readRequests() else { return }
        for request in requests where !state.withLock({ $0.stopping }) {
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

/// The item left the queue (cancelled, or renamed to a draft) while it was being prepared.
private struct OutboxWithdrawn: Error {}
