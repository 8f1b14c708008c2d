import ChatCache
import Foundation
import GRDB
import Logging

/// Everything about sending, in one place (as rclone's `vfs/vfscache/writeback` owns
/// uploads): the queue's rules, its state machine, the send window, the sender and its
/// retry policy. The filesystem keeps only the write buffers and calls the small API
/// below; docs/outbox.md tells the whole story.
///
/// States (stored, see `OutboxState`): a file is `writing` while open, `draft` by its name,
/// `waiting` once closed (sent after the send window), `sending` while the sender holds it,
/// then gone (a message file), `failed` or `refused`. Every change is a compare-and-set in
/// SQL (`OutboxStore`); nothing but the sender changes a row in `sending`, and a filesystem
/// call that meets one waits, on a condition and for at most `attemptWait`, for the attempt
/// to end.
///
/// Lock order (outermost first; never the other way round):
/// 1. `attemptEnded` (an NSCondition) — a filesystem thread holds it while it reads an
///    item's state and waits for an attempt to end; the sender takes it only to broadcast,
///    after its transaction has committed, holding nothing else.
/// 2. SQLite (GRDB's writer queue, or a reader connection).
public final class Outbox: Sendable {
    let store: OutboxStore
    let cache: ChatCache
    let configuration: OutboxConfiguration
    let changes: ChangeFeed
    let logger: Logger
    let sender: OutboxSender
    // NSCondition is thread-safe by construction (it is a lock).
    private let attemptEnded = NSCondition()

    /// `username` is who we are on the server: where it does not echo `clientTempId`, our
    /// own messages are recognized by sender, text and time.
    public init(cache: ChatCache, service: any OutboxService, username: String?, configuration: OutboxConfiguration = .init(),
                changes: ChangeFeed, logger: Logger) {
        self.cache = cache
        store = OutboxStore(cache: cache)
        self.configuration = configuration
        self.changes = changes
        self.logger = logger
        sender = OutboxSender(store: store, cache: cache, service: service, username: username, configuration: configuration,
                              changes: changes, logger: logger, attemptEnded: attemptEnded)
    }

    // MARK: life cycle

    /// Starts the sender thread (it first takes back the attempts a crash left in flight).
    public func start() { sender.start() }

    /// Stops the sender, waiting at most `timeout` for an attempt in flight.
    public func stop(timeout: Duration) { sender.stop(timeout: timeout) }

    /// Something may be due (the server is back, a chat was marked read): look now.
    public func wake() { sender.wake() }

    // MARK: what the tree shows (metadata only)

    public func items(chatID: String) throws -> [OutboxRecord] { try store.items(chatID: chatID) }
    public func item(rowID: Int64) throws -> OutboxRecord? { try store.item(rowID: rowID) }
    public func item(chatID: String, listedName: String) throws -> OutboxRecord? {
        try store.item(chatID: chatID, listedName: listedName)
    }
    public func content(rowID: Int64) throws -> [UInt8]? { try store.content(rowID: rowID) }

    // MARK: changes the tree makes

    /// A new, empty file being written. A refused notice of the same name is dismissed by
    /// it; any other file of that name (a failed one, listed as `<name>.failed`) keeps it.
    public func create(chatID: String, name: String, mode: Int = 0o644) throws -> OutboxRecord {
        guard OutboxNames.isValid(name) else { throw OutboxError.invalidName }
        let now = configuration.now()
        return try store.write { db in
            if let existing = try OutboxRecord.filter(OutboxRecord.CodingKeys.chatID == chatID && OutboxRecord.CodingKeys.name == name)
                .fetchOne(db) {
                guard existing.state == .refused else { throw OutboxError.exists }
                try OutboxStore.delete(rowID: existing.rowID, db)
            }
            return try OutboxStore.insert(chatID: chatID, name: name, state: .writing, mode: mode, now: now, db)
        }
    }

    /// An existing file opened for writing: it leaves the queue (a waiting message is not
    /// sent while it is being rewritten) and its stored content is returned for the buffer.
    public func beginWriting(rowID: Int64) throws -> [UInt8] {
        let now = configuration.now()
        return try changeWhenSettled(rowID: rowID) { item, db in
            if item.action != nil { throw OutboxError.readOnly }
            switch item.state {
            case .failed, .refused: throw OutboxError.readOnly
            case .waiting where item.isInDoubt: throw OutboxError.busy
            case .writing, .draft, .waiting, .sending:
                try OutboxStore.setState(rowID: item.rowID, .writing, now: now, db)
                return try OutboxStore.content(rowID: item.rowID, db) ?? []
            }
        }
    }

    /// What is written so far, kept (fsync: an editor's swap file survives a crash); never
    /// sends anything.
    public func saveUncommitted(rowID: Int64, content: [UInt8]) throws {
        let now = configuration.now()
        try store.change(rowID: rowID) { item, db in
            guard let item, item.state == .writing || item.state == .draft else { return }
            try OutboxStore.setContent(rowID: item.rowID, content, state: item.state, now: now, db)
        }
    }

    /// The last writer closed the file: a draft is saved, anything else is queued, durably,
    /// before this returns. Throws `OutboxError.refused` (nothing changed) when the content
    /// cannot be sent; the caller decides when a refusal is final (`refuse`). `oversize`:
    /// a write past the size limit was refused (the size it asked for), so `content` is cut
    /// short and is never queued. A file removed meanwhile has nothing to store.
    public func commit(rowID: Int64, content: [UInt8], oversize: Int? = nil) throws {
        let now = configuration.now()
        let sendAt = now.addingTimeInterval(configuration.sendDelay.seconds)
        // How many messages are queued once this one is (nil: nothing was queued).
        let queued = try store.change(rowID: rowID) { item, db -> Int? in
            guard let item else { return nil }
            guard item.state == .writing || item.state == .draft || item.state == .waiting else { throw OutboxError.busy }
            if OutboxNames.isDraft(item.name) {
                try OutboxStore.setContent(rowID: item.rowID, content, state: .draft, now: now, db)
                return nil
            }
            if let oversize { throw OutboxError.refused(.attachmentTooLarge(bytes: oversize)) }
            do {
                return try OutboxStore.enqueue(rowID: item.rowID, content: content, sendAt: sendAt, now: now, db)
            } catch let refusal as OutboxRefusal {
                throw OutboxError.refused(refusal)
            }
        }
        guard let queued else { return }
        if queued >= OutboxPolicy.warnQueued {
            logger.warning("\(queued) messages wait to be sent; the outbox takes \(OutboxPolicy.maxQueued) (is the server reachable?)")
        }
        sender.wake()
    }

    /// The file cannot be sent as written: it stays listed as `<name>.refused` with the
    /// reason (shells ignore close() errors; `ls` shows this), the log and status say why.
    public func refuse(rowID: Int64, content: [UInt8], reason: OutboxRefusal) {
        let now = configuration.now()
        do {
            let refused = try store.change(rowID: rowID) { item, db -> OutboxRecord? in
                guard let item, item.state == .writing || item.state == .draft || item.state == .waiting else { return nil }
                try OutboxStore.refuse(rowID: item.rowID, content: content, reason: reason, now: now, db)
                return item
            }
            guard let refused else { return }
            let chat = try noteRefusal(chatID: refused.chatID, name: refused.name, reason)
            changes.publish(.outboxChanged(chatRowID: chat?.rowID, names: [refused.name, refused.name + OutboxNames.refusedSuffix]))
            changes.publish(.outboxOutcome(OutboxOutcome(chatID: refused.chatID, chatRowID: chat?.rowID, name: refused.name,
                                                         result: .refused(reason: reason.description))))
            changes.publish(.statusChanged)
        } catch {
            logger.error("cannot record the refusal of outbox row \(rowID): \(error)")
        }
    }

    /// The log and `.chatfs/status` ("last refused") say what was refused and why.
    @discardableResult
    private func noteRefusal(chatID: String, name: String, _ reason: OutboxRefusal) throws -> ChatRecord? {
        let chat = try cache.chat(id: chatID)
        let path = "\(chat?.dirName ?? chatID)/outbox/\(name)"
        logger.warning("refused \(path): \(reason)")
        try cache.setMeta(.lastRefusal, "\(MessageFormat.dateString(configuration.now())) \(path): \(reason)")
        return chat
    }

    /// Sets a closed draft's (or unsent, unopened file's) size; a queued message cannot be
    /// truncated in place (rename it to a draft name to edit it).
    public func truncateClosed(rowID: Int64, to size: Int) throws -> [UInt8] {
        let now = configuration.now()
        return try changeWhenSettled(rowID: rowID) { item, db in
            switch item.state {
            case .waiting, .sending: throw OutboxError.busy
            case .failed, .refused: throw OutboxError.readOnly
            case .draft, .writing:
                guard size <= OutboxPolicy.maxAttachmentBytes else { throw OutboxError.refused(.attachmentTooLarge(bytes: size)) }
                var content = try OutboxStore.content(rowID: item.rowID, db) ?? []
                if size < content.count { content.removeSubrange(size...) } else { content += [UInt8](repeating: 0, count: size - content.count) }
                try OutboxStore.setContent(rowID: item.rowID, content, state: item.state, now: now, db)
                return content
            }
        }
    }

    /// chmod: the file keeps the permission bits (nothing else depends on them; `install`,
    /// `cp -p` and `rsync -p` set them). A failed or refused file stays read-only.
    public func setMode(rowID: Int64, _ mode: Int) throws {
        try store.change(rowID: rowID) { item, db in
            guard let item else { throw OutboxError.gone }
            if item.state == .failed || item.state == .refused { throw OutboxError.readOnly }
            try db.execute(sql: "UPDATE outbox SET mode = ? WHERE rowID = ?", arguments: [mode & 0o777, rowID])
        }
    }

    /// A touch: the file's time becomes now.
    public func touch(rowID: Int64) throws {
        let now = configuration.now()
        try store.write { db in
            try db.execute(sql: "UPDATE outbox SET modifiedAt = ? WHERE rowID = ?", arguments: [now.timeIntervalSince1970, rowID])
        }
    }

    /// `rm`: a draft, a waiting message (cancelled: it is never sent), a failed or refused
    /// file. A message being sent is waited for: once sent it is gone (`.gone`); a message
    /// that may already be on the server answers `.busy` until the sender has looked.
    public func remove(chatID: String, listedName: String) throws {
        guard let found = try store.item(chatID: chatID, listedName: listedName) else { throw OutboxError.gone }
        try changeWhenSettled(rowID: found.rowID) { item, db in
            guard item.listedName == listedName, item.chatID == chatID else { throw OutboxError.gone }
            if item.isInDoubt { throw OutboxError.busy }
            try OutboxStore.delete(rowID: item.rowID, db)
        }
    }

    /// A rename within or between outboxes, decided and applied in one transaction
    /// (`RenameRule`). Returns the row id of a file it replaced (its buffers are detached).
    public func rename(chatID: String, listedName: String, toChatID: String, newName: String, flags: UInt32,
                       isOpenForWriting: (Int64) -> Bool) throws -> Int64? {
        guard let found = try store.item(chatID: chatID, listedName: listedName) else { throw OutboxError.gone }
        let now = configuration.now()
        let sendDelay = configuration.sendDelay.seconds
        let openForWriting = isOpenForWriting(found.rowID)
        let replaced: Int64?
        do {
            replaced = try renameWhenSettled(found, chatID: chatID, listedName: listedName, toChatID: toChatID, newName: newName,
                                             flags: flags, openForWriting: openForWriting, now: now, sendDelay: sendDelay)
        } catch OutboxError.refused(let refusal) {
            try noteRefusal(chatID: toChatID, name: newName, refusal)
            throw OutboxError.refused(refusal)
        }
        sender.wake()
        return replaced
    }

    private func renameWhenSettled(_ found: OutboxRecord, chatID: String, listedName: String, toChatID: String, newName: String,
                                   flags: UInt32, openForWriting: Bool, now: Date, sendDelay: TimeInterval) throws -> Int64? {
        try changeWhenSettled(rowID: found.rowID) { item, db -> Int64? in
            guard item.listedName == listedName, item.chatID == chatID else { throw OutboxError.gone }
            let listedTarget = try OutboxStore.item(chatID: toChatID, listedName: newName, db).flatMap { $0.rowID == item.rowID ? nil : $0 }
            let twin = try OutboxRecord.filter(OutboxRecord.CodingKeys.chatID == toChatID && OutboxRecord.CodingKeys.name == newName)
                .fetchOne(db).flatMap { $0.rowID == item.rowID || $0.rowID == listedTarget?.rowID ? nil : $0 }
            let target: RenameRule.Target = if let listedTarget {
                listedTarget.state == .sending || listedTarget.isInDoubt ? .busy : .listed
            } else if twin?.state == .failed {
                .failedTwin
            } else {
                .free
            }
            let action = RenameRule.action(source: item, isOpenForWriting: openForWriting, newName: newName, target: target, flags: flags)
            if case .refuse(let error) = action { throw error }
            // The name is free for the source from here on: a replaced file and a dismissed
            // refused notice go in the same transaction.
            for gone in [listedTarget, twin].compactMap({ $0 }) { try OutboxStore.delete(rowID: gone.rowID, db) }
            switch action {
            case .refuse:
                break
            case .move(let state):
                try OutboxStore.rename(rowID: item.rowID, to: newName, chatID: toChatID, state: state, now: now, db)
                if state == .waiting, item.attempts == 0, !item.needsCheck {
                    // Renaming is a change: the send window starts again.
                    try db.execute(sql: "UPDATE outbox SET nextAttemptAt = ? WHERE rowID = ?",
                                   arguments: [now.addingTimeInterval(sendDelay).timeIntervalSince1970, item.rowID])
                }
            case .moveAndEnqueue:
                try OutboxStore.rename(rowID: item.rowID, to: newName, chatID: toChatID, state: item.state, now: now, db)
                let content = try OutboxStore.content(rowID: item.rowID, db) ?? []
                do {
                    _ = try OutboxStore.enqueue(rowID: item.rowID, content: content, sendAt: now.addingTimeInterval(sendDelay), now: now, db)
                } catch let refusal as OutboxRefusal {
                    throw OutboxError.refused(refusal)  // the whole transaction rolls back
                }
            }
            return listedTarget?.rowID
        }
    }

    /// The outbox entry of a queued take (`take-ticket`, `take-ticket.failed` when refused).
    public static let takeName = "take-ticket"
    static let takeAction = "take"

    /// A technician takes the chat's ticket: queued like a message (durable when this
    /// returns, sent when the server answers, exactly once), shown in the chat's outbox as
    /// `take-ticket` until done and as `take-ticket.failed` when refused.
    public func take(chatID: String) throws {
        let now = configuration.now()
        try store.write { db in
            if let existing = try OutboxRecord.filter(OutboxRecord.CodingKeys.chatID == chatID
                                                      && OutboxRecord.CodingKeys.name == Self.takeName).fetchOne(db) {
                if existing.state == .waiting || existing.state == .sending { return }  // already on its way
                try OutboxStore.delete(rowID: existing.rowID, db)
            }
            let item = try OutboxStore.insert(chatID: chatID, name: Self.takeName, state: .writing, action: Self.takeAction,
                                              now: now, db)
            _ = try OutboxStore.enqueue(rowID: item.rowID, content: [], sendAt: now, now: now, db)
        }
        sender.wake()
    }

    /// Queues "mark this chat read" (works offline) and shows it read at once.
    public func markRead(chatID: String) throws {
        try cache.requestMarkRead(chatID: chatID)
        sender.wake()
    }

    // MARK: the flush barrier

    /// `chatfs sync` / fsync of an outbox: ends every send window and returns once no
    /// message is queued or in flight (each sent or failed: true), or when `timeout` passes.
    public func drain(timeout: Duration) -> Bool {
        let deadline = Date().addingTimeInterval(timeout.seconds)
        do { try store.endSendWindows(now: configuration.now()) } catch { logger.error("cannot end the send windows: \(error)") }
        sender.wake()
        attemptEnded.lock()
        defer { attemptEnded.unlock() }
        while ((try? store.queuedCount()) ?? 1) > 0 {
            guard attemptEnded.wait(until: deadline) || Date() < deadline else { return (try? store.queuedCount()) == 0 }
        }
        return true
    }

    // MARK: waiting for an attempt

    /// Runs `body` in one transaction on the row once no attempt holds it: a row in
    /// `sending` is waited for (at most `attemptWait`, on `attemptEnded`), then read again.
    private func changeWhenSettled<T>(rowID: Int64, _ body: (OutboxRecord, Database) throws -> T) throws -> T {
        let deadline = Date().addingTimeInterval(configuration.attemptWait.seconds)
        while true {
            let step = try store.change(rowID: rowID) { item, db -> SettledStep<T> in
                guard let item else { throw OutboxError.gone }
                return item.state == .sending ? .inFlight : .done(try body(item, db))
            }
            if case .done(let result) = step { return result }
            guard waitForAttemptToEnd(rowID: rowID, until: deadline) else { throw OutboxError.busy }
        }
    }

    /// False when the attempt on `rowID` is still in flight at `deadline`.
    private func waitForAttemptToEnd(rowID: Int64, until deadline: Date) -> Bool {
        attemptEnded.lock()
        defer { attemptEnded.unlock() }
        while (try? store.state(rowID: rowID)) == .sending {
            guard attemptEnded.wait(until: deadline) else { return (try? store.state(rowID: rowID)) != .sending }
        }
        return true
    }
}

/// One try of `Outbox.changeWhenSettled`: done, or the row was in flight.
private enum SettledStep<T> {
    case done(T)
    case inFlight
}
