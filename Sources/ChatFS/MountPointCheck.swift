import Foundation
import Logging
import Locking
import SystemIntegration

/// Makes a directory ready to mount on, the way sshfs and rclone treat theirs: a chatfs
/// mount left dead by a crash is unmounted first (its FUSE connection aborted when the
/// dead daemon still holds it); a live chatfs mount and a non-empty directory are
/// refused, so two daemons never stack on one mount point.
///
/// Whether a mount is alive is decided from the mount table and `statvfs`, which the
/// kernel always forwards to the daemon (FUSE_STATFS): `stat` of the mount point is answered from the
/// root's cached attributes for up to an hour after the daemon died.
public enum MountPointCheck {
    /// How long a live daemon may take to answer `statvfs`.
    static let answerTimeout: Double = 10
    /// More dead mounts stacked on one point than this means something else is wrong.
    static let maximumStackedDeadMounts = 16

    /// The mount table's name for what `ChatFilesystem` mounts.
    public static let fileSystemType = "fuse." + MountConfiguration.subtype

    public static func prepare(_ path: String, allowNonEmpty: Bool, logger: Logger) throws {
        let resolved = ResolvedPath.of(path)
        for _ in 0..<maximumStackedDeadMounts {
            guard let top = try MountTable.current().mounts(at: resolved).last, top.fileSystemType == fileSystemType else { break }
            switch probe(resolved) {
            case .alive:
                throw MountError.liveMount(path)
            case .notAnswering:
                let aborted = try abortAndDetach(top)
                logger.notice("\(path) is a chatfs mount whose daemon does not answer: \(aborted); unmounted")
            case .dead:
                logger.notice("\(path) is a dead chatfs mount (its daemon is gone): unmounting it first")
                try unmountLazily(resolved)
            }
        }
        var info = stat()
        guard stat(resolved, &info) == 0 else {
            let error = errno
            if error == ENOENT { throw MountError.mountPointMissing(path) }
            var reason = String(cString: strerror(error))
            if error == ENOTCONN { reason += " (a dead mount of another filesystem: fusermount3 -u \(path))" }
            throw MountError.mountFailed(mountPoint: path, reason: reason)
        }
        guard info.st_mode & S_IFMT == S_IFDIR else { throw MountError.mountPointNotADirectory(path) }
        if !allowNonEmpty, try !isEmptyDirectory(resolved) { throw MountError.notEmpty(path) }
    }

    public enum Liveness: Sendable {
        /// The daemon answered.
        case alive
        /// The connection is gone ("Transport endpoint is not connected").
        case dead
        /// Nobody answered within `answerTimeout`: the daemon is wedged, or it died while a
        /// thread of it was stuck in the kernel and holds the connection open as a zombie
        /// (RELIABILITY.md "Crash during sync").
        case notAnswering
    }

    /// `statvfs` on a thread of its own: a wedged daemon must not hang the caller.
    public static func probe(_ path: String) -> Liveness {
        let outcome = Locked<Liveness?>(nil)
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            var info = statvfs()
            let result = statvfs(path, &info) == 0 ? Liveness.alive : (errno == ENOTCONN ? .dead : .alive)
            outcome.withLock { $0 = result }
            done.signal()
        }
        guard done.wait(timeout: .now() + answerTimeout) == .success else { return .notAnswering }
        return outcome.withLock { $0 } ?? .notAnswering
    }

    /// Aborts the FUSE connection of a mount that does not answer (every process waiting
    /// on it gets an error, a zombie daemon exits), then detaches the mount; says what was done.
    public static func abortAndDetach(_ mount: MountEntry) throws -> String {
        guard let connection = FuseConnection(mount) else {
            throw MountError.unresponsiveMount(mount.mountPoint, reason: "the mount table gives no device number for it")
        }
        let how: String
        do {
            how = try connection.abort(mountPoint: mount.mountPoint)
        } catch let error as FuseConnection.AbortError {
            throw MountError.unresponsiveMount(mount.mountPoint, reason: error.description)
        }
        // A forced unmount may have removed it already.
        if try MountTable.current().entries.contains(where: { $0.mountID == mount.mountID }) {
            try unmountLazily(mount.mountPoint)
        }
        return "no answer within \(Int(answerTimeout)) s (its daemon is gone or hung): aborted its FUSE connection (\(how))"
    }

    /// `fusermount3 -uz`: detaches the dead mount even if something still has it open.
    static func unmountLazily(_ path: String) throws {
        let fusermount = Process()
        fusermount.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        fusermount.arguments = ["fusermount3", "-uz", path]
        try fusermount.run()
        fusermount.waitUntilExit()
        guard fusermount.terminationStatus == 0 else {
            throw MountError.mountFailed(mountPoint: path, reason: "could not clear the dead mount there (fusermount3 -uz failed)")
        }
    }

    static func isEmptyDirectory(_ path: String) throws -> Bool {
        guard let directory = opendir(path) else {
            throw MountError.mountFailed(mountPoint: path, reason: String(cString: strerror(errno)))
        }
        defer { closedir(directory) }
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name != "." && name != ".." { return false }
        }
        return true
    }
}
