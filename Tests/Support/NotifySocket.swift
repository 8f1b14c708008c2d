import Foundation
import SystemIntegration

/// The receiving end of systemd's notify protocol, for tests: a unix datagram socket
/// bound to a path in a temporary directory, or to an abstract name (`@...`).
public final class NotifySocket: Sendable {
    /// What `NOTIFY_SOCKET` should be set to.
    public let address: String
    private let fd: Int32
    private let directory: TemporaryDirectory?

    public init(abstract: Bool = false) throws {
        directory = abstract ? nil : try TemporaryDirectory("chatfs-notify")
        address = directory.map { $0.path + "/notify" } ?? "@chatfs-test-\(UUID().uuidString)"
        fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        let bound = UnixSocketAddress.with(address) { [fd] in bind(fd, $0, $1) }
        guard fd >= 0, bound == 0 else { throw TestSupportError.unexpectedAnswer(Int(errno), "cannot bind \(address)") }
    }

    deinit { close(fd) }

    /// The next datagram, or nil when none comes within `timeout` seconds (× `deadlineScale`).
    public func receive(timeout: Double) -> String? {
        var poll = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard Glibc.poll(&poll, 1, Int32(timeout * deadlineScale * 1000)) == 1 else { return nil }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = recv(fd, &buffer, buffer.count, 0)
        return count < 0 ? nil : String(decoding: buffer.prefix(count), as: UTF8.self)
    }
}
