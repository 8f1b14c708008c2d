import ChatCache
import ChatOutbox
import CFuse
import Foundation
import Logging
import Locking

/// The chats as a directory tree, served from the cache over FUSE's low-level API.
///
/// Immutable after init but for its `Locked` values: libfuse calls it from several worker
/// threads at once (`WorkerPool`; it reaches the callbacks as the session's userdata).
public final class ChatFilesystem: Sendable {
    let cache: ChatCache
    let sync: any TreeSync
    let outbox: Outbox
    let logger: Logger
    let owner: Owner
    let mountTime = Date()
    /// Kept listings' mtimes: when this mount last changed them.
    let listingClock = ListingClock()
    /// `.chatfs/status`'s mtime: the last change event (any of them may change what it
    /// reads). Not the time of each `stat`: `tar` would say "file changed as we read it".
    let statusModified = Locked(Date())
    let handles = OpenHandles()
    let outboxBuffers = OutboxBuffers()
    let searches = SearchRegistry()
    let events = EventStream()
    let storedMessages = StoredMessages()
    private let mounted = Locked<MountedSession?>(nil)

    /// The longest a lookup or listing inside a never-synced chat waits for its first page.
    static let firstPageTimeout: Duration = .seconds(8)
    /// The most message rows one readdir reply fetches (a reply holds about a page's worth).
    static let maximumListingPage = 1000
    /// How long unmounting waits for an invalidation the kernel is holding up.
    static let notifierStopTimeout: Duration = .seconds(2)

    /// Files and directories belong to the user who mounted (the mount is private).
    struct Owner: Sendable {
        let userID: uid_t
        let groupID: gid_t
    }

    private struct MountedSession: Sendable {
        let session: FuseSession
        let notifier: ChangeNotifier
        let workerPool: WorkerPool
    }

    /// `changes` is the mount's feed, where sync and the outbox announce what they stored.
    public init(cache: ChatCache, sync: any TreeSync, outbox: Outbox, changes: ChangeFeed, logger: Logger) {
        self.cache = cache
        self.sync = sync
        self.outbox = outbox
        self.logger = logger
        owner = Owner(userID: getuid(), groupID: getgid())
        // Registered once; events reach the kernel only while a session is mounted.
        changes.subscribe { [weak self] event in self?.changed(event) }
    }

    /// Creates the session and mounts on a mount point `MountPointCheck.prepare` accepted;
    /// throws a readable error (bad options, fuse unavailable). After it returns the mount
    /// is live.
    public func mount(_ configuration: MountConfiguration) throws {
        let mountPoint = configuration.mountPoint
        let workerPool = try configuration.workerPool
        try mounted.withLock { mounted in
            guard mounted == nil else { throw MountError.alreadyMounted }
            FuseLog.install(logger)
            // The session holds a reference until `run` has destroyed it.
            let userdata = Unmanaged.passRetained(self)
            let session: FuseSession
            do {
                session = try FuseSession(arguments: configuration.fuseArguments, operations: FuseOperations.table(),
                                          userdata: userdata.toOpaque())
            } catch {
                userdata.release()
                throw error
            }
            do {
                try session.mount(at: mountPoint)
            } catch {
                session.destroy()
                userdata.release()
                throw error
            }
            let notifier = ChangeNotifier(session: session, logger: logger)
            notifier.start()
            mounted = MountedSession(session: session, notifier: notifier, workerPool: workerPool)
        }
        logger.info("mounted on \(mountPoint) (up to \(workerPool.maximum) worker threads, \(workerPool.idle) kept idle)")
    }

    /// Runs the multi-threaded loop until unmounted (fusermount3 -u) or a signal; then
    /// unmounts and destroys the session. Returns the loop's result (0 = clean; a signal
    /// that ended the loop gives its number, as libfuse reports it).
    public func run() -> Int32 {
        guard let session = mounted.withLock({ $0 }) else {
            logger.error("run() called without a successful mount()")
            return -EINVAL
        }
        let result = session.session.loop(session.workerPool)
        mounted.withLock { $0 = nil }
        // Reads of `.chatfs/events` still waiting end (0 bytes) before the device closes.
        events.finish()
        // The notifier writes to the session's device: stop it before the device closes.
        session.notifier.stop(timeout: Self.notifierStopTimeout)
        session.session.unmountAndDestroy()
        Unmanaged.passUnretained(self).release()
        logger.info("unmounted (loop result \(result))")
        return result
    }

    /// The mounted session, for what handlers may send the kernel themselves (`store`).
    var session: FuseSession? {
        mounted.withLock { $0 }?.session
    }

    /// The session is ending (unmounted, or a signal): a handler that waits should stop.
    var isUnmounting: Bool {
        mounted.withLock { $0 }?.session.hasExited ?? false
    }

    /// A change stored by sync (on its thread) or by a handler: queue it for the notifier,
    /// never block (a handler must not invalidate the kernel's caches itself), and hand its
    /// lines to the readers of `.chatfs/events`, answering their waiting reads from here.
    func changed(_ event: ChangeEvent) {
        let now = Date()
        listingClock.note(event, now: now)
        statusModified.withLock { $0 = now }
        mounted.withLock { $0 }?.notifier.enqueue(event)
        guard events.hasReaders else { return }
        do {
            let lines = try EventLine.lines(for: event) { [cache] rowID in
                try cache.chat(rowID: rowID).map { ($0.dirName, $0.id) }
            }
            events.publish(try lines.map { try $0.encoded() })
        } catch {
            logger.error("cannot report \(event) on .chatfs/events: \(error)")
        }
    }

    /// Runs a handler for a request and sends its one reply; a thrown errno is the reply,
    /// anything else is logged and answered EIO.
    static func serve(_ request: fuse_req_t?, _ handler: (ChatFilesystem) throws -> FuseReply) {
        guard let request else { return }
        let filesystem = Unmanaged<ChatFilesystem>.fromOpaque(fuse_req_userdata(request)).takeUnretainedValue()
        let reply: FuseReply
        do {
            reply = try handler(filesystem)
        } catch let error as FuseError {
            reply = .error(error.code)
        } catch let error as OutboxError {
            reply = .error(error.errno)
        } catch {
            filesystem.logger.error("request failed: \(error)")
            reply = .error(EIO)
        }
        reply.send(to: request)
    }
}
