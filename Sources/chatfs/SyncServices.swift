import ChatOutbox
import ChatSync
import Locking

/// The mount's two background services, the sync poller and the outbox sender, started
/// once and stopped only if they were started: a mount that serves its cache at once
/// starts them from the thread that logs in (docs/design.md, "Startup"), which may still
/// be waiting for the server when the mount is unmounted.
final class SyncServices: Sendable {
    private enum Phase { case waiting, running, stopped }

    private let engine: SyncEngine
    private let outbox: Outbox
    private let phase = Locked(Phase.waiting)

    init(engine: SyncEngine, outbox: Outbox) {
        self.engine = engine
        self.outbox = outbox
    }

    /// Starts both unless the mount has stopped meanwhile. They are started under the lock
    /// (each only spawns its thread), so `stop` never sees `running` before they are.
    func start() {
        phase.withLock { phase in
            guard phase == .waiting else { return }
            engine.start()
            outbox.start()
            phase = .running
        }
    }

    func stop() {
        let before = phase.withLock { phase in
            defer { phase = .stopped }
            return phase
        }
        guard before == .running else { return }
        outbox.stop(timeout: .seconds(5))
        engine.stop()
    }
}
