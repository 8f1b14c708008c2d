import Foundation

/// Tells systemd how a `Type=notify` service is doing (`READY=1`, `STOPPING=1`,
/// `STATUS=...`): one datagram per state to the unix socket named by `NOTIFY_SOCKET`,
/// the protocol of sd_notify(3), without linking libsystemd.
public struct ServiceNotifier: Sendable {
    /// A filesystem path, or an abstract socket name written with a leading `@`.
    public let socketAddress: String

    /// Nil when not started by systemd with notify access (no `NOTIFY_SOCKET`).
    public init?(environment: [String: String] = ProcessInfo.processInfo.environment) {
        guard let address = environment["NOTIFY_SOCKET"], address.hasPrefix("/") || address.hasPrefix("@"),
              address.utf8.count > 1 else { return nil }
        socketAddress = address
    }

    /// The service is up (say so once the mount is live).
    public func ready(status: String) throws {
        try send(["READY=1", "STATUS=\(status)"])
    }

    /// The service is on its way down.
    public func stopping(status: String) throws {
        try send(["STOPPING=1", "STATUS=\(status)"])
    }

    /// One datagram of newline-separated `KEY=VALUE` assignments.
    public func send(_ assignments: [String]) throws {
        let message = Array(assignments.joined(separator: "\n").utf8)
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw NotifyError(address: socketAddress, errno: errno) }
        defer { close(fd) }
        let sent = UnixSocketAddress.with(socketAddress) { address, length in
            message.withUnsafeBytes { bytes in sendto(fd, bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL), address, length) }
        }
        guard let sent else { throw NotifyError(address: socketAddress, errno: ENAMETOOLONG) }
        guard sent == message.count else { throw NotifyError(address: socketAddress, errno: errno) }
    }
}

public struct NotifyError: Error, CustomStringConvertible {
    public var address: String
    public var errno: Int32

    public var description: String {
        "cannot notify systemd at \(address): \(String(cString: strerror(errno)))"
    }
}
