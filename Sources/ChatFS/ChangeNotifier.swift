import ChatCache
import Dispatch
import Foundation
import Logging
import Locking

/// Turns change events into kernel invalidations on a thread of its own.
///
/// Events arrive on the sync thread, which must never call into the kernel: a FUSE handler
/// may be waiting for that thread (a first visit) while the kernel holds the directory's
/// lock that `notify_inval_entry` needs. Handlers must not call it either. So events are
/// queued and this one thread drains the queue.
final class ChangeNotifier: Sendable {
    private struct Queue {
        var events: [ChangeEvent] = []
        var stopped = false
    }

    private let session: FuseSession
    private let logger: Logger
    private let queue = Locked(Queue())
    private let wakeUp = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)

    init(session: FuseSession, logger: Logger) {
        self.session = session
        self.logger = logger
    }

    func start() {
        let thread = Thread { [self] in
            drain()
            finished.signal()
        }
        thread.name = "chatfs-notifier"
        thread.start()
    }

    /// Queues an event; never blocks (it runs on the sync thread). Dropped once stopped.
    func enqueue(_ event: ChangeEvent) {
        let queued = queue.withLock { queue in
            guard !queue.stopped else { return false }
            queue.events.append(event)
            return true
        }
        if queued { wakeUp.signal() }
    }

    /// Stops the thread before the session goes away. A notice in flight can block while
    /// the kernel waits for a request nobody answers any more (the loop has ended), so the
    /// wait is bounded; no notice is started after this returns.
    func stop(timeout: Duration) {
        queue.withLock { $0.stopped = true }
        wakeUp.signal()
        if finished.wait(timeout: .now() + .milliseconds(Int(timeout.components.seconds * 1000))) == .timedOut {
            logger.warning("the invalidation thread did not stop within \(timeout); unmounting anyway")
        }
    }

    private var isStopped: Bool { queue.withLock { $0.stopped } }

    private func drain() {
        while true {
            wakeUp.wait()
            let (events, stopped) = queue.withLock { queue in
                defer { queue.events = [] }
                return (queue.events, queue.stopped)
            }
            if stopped { return }
            apply(Invalidation.plan(for: events))
        }
    }

    private func apply(_ invalidations: [Invalidation]) {
        for invalidation in invalidations {
            guard !isStopped else { return }
            let result: Int32
            switch invalidation {
            case .entry(let parent, let name):
                guard let parent = parent.rawValue else { continue }
                result = session.invalidateEntry(parent: parent, name: name)
            case .attributes(let inode):
                guard let inode = inode.rawValue else { continue }
                result = session.invalidateAttributes(inode)
            case .content(let inode):
                guard let inode = inode.rawValue else { continue }
                result = session.invalidateInode(inode)
            }
            // -ENOENT: the kernel had nothing cached under that name or inode (the common case).
            // -ENOTCONN: the kernel has not finished INIT yet, so it has cached nothing either.
            if result != 0, result != -ENOENT, result != -ENOTCONN {
                logger.debug("invalidation \(invalidation) failed: \(String(cString: strerror(-result)))")
            }
        }
    }
}
