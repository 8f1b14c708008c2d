import Foundation

/// The kernel's side of one FUSE mount, named by the mount's device number.
///
/// Aborting it is what `umount -f` does: every request waiting for the daemon fails
/// (ECONNABORTED), the mount answers "Transport endpoint is not connected", and a daemon
/// that died with a thread stuck in the kernel (RELIABILITY.md "Crash during sync") can
/// finally exit. Only for a mount whose daemon is gone or wedged: a live daemon loses
/// its mount.
public struct FuseConnection: Sendable, Equatable {
    /// The number fusectl names the connection by: the superblock's `dev_t` in the
    /// kernel's encoding (major << 20 | minor), as `/proc/self/mountinfo` gives it.
    public let number: UInt32

    /// fusectl's directory; systemd mounts it, a bare system may not have it mounted.
    public static let controlDirectory = "/sys/fs/fuse/connections"

    public init(number: UInt32) {
        self.number = number
    }

    /// The connection of a FUSE mount (nil for a mount without a device number).
    public init?(_ mount: MountEntry) {
        guard let device = mount.device else { return nil }
        self.init(number: device.major << 20 | device.minor)
    }

    public var abortPath: String { "\(Self.controlDirectory)/\(number)/abort" }

    public enum AbortError: Error, CustomStringConvertible {
        case notPossible(mountPoint: String, reason: String)

        public var description: String {
            switch self {
            case .notPossible(let mountPoint, let reason):
                "cannot abort the FUSE connection of \(mountPoint) (\(reason)): as root, 'umount -f \(mountPoint)'"
            }
        }
    }

    /// Aborts the connection through fusectl (allowed to the user who mounted it) or,
    /// without fusectl, through a forced unmount (root only), which aborts it first.
    /// Returns how, for the message to the user.
    @discardableResult
    public func abort(mountPoint: String) throws -> String {
        if let handle = FileHandle(forWritingAtPath: abortPath) {
            defer { try? handle.close() }
            try handle.write(contentsOf: Data("1".utf8))
            return "wrote \(abortPath)"
        }
        let fusectlError = errno
        // MNT_FORCE calls FUSE's umount_begin, which aborts the connection even when the
        // unmount itself then fails as busy.
        if umount2(mountPoint, Int32(MNT_FORCE)) == 0 || errno == EBUSY {
            return "forced unmount"
        }
        let reason = fusectlError == ENOENT ? "fusectl is not mounted on \(Self.controlDirectory)"
            : String(cString: strerror(fusectlError))
        throw AbortError.notPossible(mountPoint: mountPoint, reason: reason)
    }
}
