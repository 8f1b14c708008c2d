import CFuse
import Foundation

/// One libfuse low-level session: created from our arguments and ops table, mounted, run
/// by the multi-threaded loop, sent invalidation notices, then unmounted and destroyed.
///
/// `@unchecked Sendable`: the only stored state is the immutable session pointer; libfuse
/// guards the session itself (the loop's workers and the notify calls are meant to run on
/// different threads). `ChatFilesystem.run` destroys the session only after the loop has
/// returned and the notifier thread has stopped, so no thread uses a freed pointer.
final class FuseSession: @unchecked Sendable {
    private let session: OpaquePointer

    /// libfuse keeps a copy of the ops table and of the parsed arguments.
    init(arguments: [String], operations: fuse_lowlevel_ops, userdata: UnsafeMutableRawPointer) throws {
        let cStrings = arguments.map { strdup($0) }
        defer { cStrings.forEach { free($0) } }
        var argv = cStrings + [nil]
        var operations = operations
        let session = argv.withUnsafeMutableBufferPointer { argv -> OpaquePointer? in
            var args = fuse_args(argc: Int32(arguments.count), argv: argv.baseAddress, allocated: 0)
            defer { fuse_opt_free_args(&args) }
            return fuse_session_new(&args, &operations, MemoryLayout<fuse_lowlevel_ops>.size, userdata)
        }
        guard let session else {
            throw MountError.invalidOptions(reason: FuseLog.takeLastError() ?? arguments.joined(separator: " "))
        }
        self.session = session
    }

    /// Installs the SIGINT/SIGTERM/SIGHUP handlers (they end the loop), then mounts.
    func mount(at mountPoint: String) throws {
        guard fuse_set_signal_handlers(session) == 0 else {
            throw MountError.mountFailed(mountPoint: mountPoint, reason: "cannot install signal handlers")
        }
        Self.unblockStopSignals()
        guard fuse_session_mount(session, mountPoint) == 0 else {
            fuse_remove_signal_handlers(session)
            throw MountError.mountFailed(mountPoint: mountPoint,
                                         reason: FuseLog.takeLastError() ?? "libfuse could not mount (is /dev/fuse available?)")
        }
    }

    /// A blocked signal mask is inherited: a parent that blocks SIGTERM (some test runners
    /// and process supervisors do) would leave the handlers above unable to run, and
    /// `kill` or `systemctl stop` unable to stop the mount. The loop's thread (this one)
    /// and the workers it starts get them unblocked.
    private static func unblockStopSignals() {
        var signals = sigset_t()
        sigemptyset(&signals)
        for signal in [SIGINT, SIGTERM, SIGHUP] { sigaddset(&signals, signal) }
        pthread_sigmask(SIG_UNBLOCK, &signals, nil)
    }

    /// Serves requests on the pool's worker threads until the filesystem is unmounted
    /// (returns 0) or a signal arrives (returns the signal number).
    ///
    /// Under ThreadSanitizer a stopped mount's process ends in here, with status 66: at the
    /// loop's end libfuse cancels (`pthread_cancel`) its idle workers, blocked in read() on
    /// the device inside TSan's interceptor, and TSan dies on a thread that "finished with
    /// ignores enabled" (the interceptor's scope never closed). So a TSan build never runs
    /// what follows the loop (STOPPING=1, the notifier's stop, the unmount), and the tests
    /// of a clean stop skip themselves there. RELIABILITY.md, "Sanitizers".
    func loop(_ pool: WorkerPool) -> Int32 {
        cfuse_session_loop_mt(session, pool.maximum, pool.idle)
    }

    /// The loop is ending: unmounted, or a signal asked it to.
    var hasExited: Bool {
        fuse_session_exited(session) != 0
    }

    /// Drops the kernel's dentry `name` in `parent` (a positive or a negative one).
    /// Must not be called from a request handler: the kernel takes the directory's lock.
    @discardableResult
    func invalidateEntry(parent: UInt64, name: String) -> Int32 {
        name.withCString { fuse_lowlevel_notify_inval_entry(session, parent, $0, strlen($0)) }
    }

    /// Drops the kernel's attributes and cached contents of the file `inode`.
    @discardableResult
    func invalidateInode(_ inode: UInt64) -> Int32 {
        fuse_lowlevel_notify_inval_inode(session, inode, 0, 0)
    }

    /// Puts `bytes` in the kernel's page cache as the whole contents of `inode`, so reads
    /// of it are served without a READ. Unlike the invalidations, it takes no directory lock
    /// and may be called from a handler (OPEN: ChatFilesystem+Files).
    @discardableResult
    func store(_ inode: UInt64, bytes: [UInt8]) -> Int32 {
        bytes.withUnsafeBytes { cfuse_notify_store(session, inode, $0.baseAddress, $0.count) }
    }

    /// Drops the kernel's attributes of `inode` only (a negative offset): a directory's
    /// kept listing stays until the kernel sees its new mtime (`ListingClock`).
    @discardableResult
    func invalidateAttributes(_ inode: UInt64) -> Int32 {
        fuse_lowlevel_notify_inval_inode(session, inode, -1, 0)
    }

    /// Undoes `mount` (signal handlers first) and frees the session. Call once the loop has
    /// returned and nothing else uses the session.
    func unmountAndDestroy() {
        fuse_remove_signal_handlers(session)
        fuse_session_unmount(session)
        fuse_session_destroy(session)
    }

    /// Frees a session that was never mounted.
    func destroy() {
        fuse_session_destroy(session)
    }
}
