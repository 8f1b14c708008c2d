import Foundation

/// A unix socket address as systemd writes it in `NOTIFY_SOCKET`: a filesystem path, or an
/// abstract name with a leading `@` (a NUL byte on the wire, and no terminating NUL).
public enum UnixSocketAddress {
    /// Calls `body` with the address as the socket calls take it; nil when it is too long.
    public static func with<T>(_ address: String, _ body: (UnsafePointer<sockaddr>, socklen_t) -> T) -> T? {
        var socketAddress = sockaddr_un()
        socketAddress.sun_family = sa_family_t(AF_UNIX)
        var path = Array(address.utf8)
        let abstract = path.first == UInt8(ascii: "@")
        if abstract { path[0] = 0 }
        guard path.count < MemoryLayout.size(ofValue: socketAddress.sun_path) else { return nil }
        withUnsafeMutableBytes(of: &socketAddress.sun_path) { $0.copyBytes(from: path) }
        let length = socklen_t(MemoryLayout<sockaddr_un>.offset(of: \.sun_path)! + path.count + (abstract ? 0 : 1))
        return withUnsafePointer(to: &socketAddress) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, length) }
        }
    }
}
