import Foundation

public enum ServerAddressError: Error, Sendable, Equatable, CustomStringConvertible {
    case unsupportedScheme(String)
    case missingHost
    /// User, password, query or fragment in the server URL.
    case unexpectedComponents
    /// Plain http to a host that is not loopback, without the opt-in.
    case insecureHTTP(host: String)

    public var description: String {
        switch self {
        case .unsupportedScheme(let scheme): "the server URL must be http(s), not \"\(scheme)\""
        case .missingHost: "the server URL has no host"
        case .unexpectedComponents: "the server URL must not carry a user, password, query or fragment"
        case .insecureHTTP(let host):
            "refusing plain http to \(host): use https, or allow insecure http explicitly"
        }
    }
}

/// A validated server URL: where the API lives and how to name its cache.
struct ServerAddress: Sendable, Equatable {
    /// `<scheme>://<host>[:port][/prefix]/api/v1`, no trailing slash.
    let apiBase: String
    /// `host` or `host_port`, safe as a directory name (e.g. `127.0.0.1_8080`).
    let cacheKey: String

    init(_ url: URL, allowInsecureHTTP: Bool) throws(ServerAddressError) {
        let scheme = url.scheme?.lowercased() ?? ""
        guard scheme == "http" || scheme == "https" else { throw .unsupportedScheme(scheme) }
        guard var host = url.host(percentEncoded: false)?.lowercased(), !host.isEmpty else { throw .missingHost }
        guard url.user == nil, url.password == nil, url.query == nil, url.fragment == nil else {
            throw .unexpectedComponents
        }
        if host.hasPrefix("["), host.hasSuffix("]") {
            host = String(host.dropFirst().dropLast())
        }
        if scheme == "http", !allowInsecureHTTP, !Self.isLoopback(host) {
            throw .insecureHTTP(host: host)
        }

        var base = url.absoluteString
        while base.hasSuffix("/") { base.removeLast() }
        apiBase = base.hasSuffix("/api/v1") ? base : base + "/api/v1"

        let safeHost = String(host.unicodeScalars.map { scalar -> Character in
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
                || scalar == "." || scalar == "-") ? Character(scalar) : "_"
        })
        cacheKey = url.port.map { "\(safeHost)_\($0)" } ?? safeHost
    }

    /// 127.0.0.0/8, ::1 (also IPv4-mapped 127.x) and `localhost`: traffic that never
    /// leaves the machine.
    static func isLoopback(_ host: String) -> Bool {
        if host == "localhost" || host == "localhost." {
            return true
        }
        var ipv4 = in_addr()
        if inet_pton(AF_INET, host, &ipv4) == 1 {
            return UInt32(bigEndian: ipv4.s_addr) >> 24 == 127
        }
        var ipv6 = in6_addr()
        guard inet_pton(AF_INET6, host, &ipv6) == 1 else { return false }
        let bytes = withUnsafeBytes(of: ipv6) { Array($0) }
        let isIPv6Loopback = bytes[0..<15].allSatisfy { $0 == 0 } && bytes[15] == 1
        let isMappedIPv4Loopback = bytes[0..<10].allSatisfy { $0 == 0 }
            && bytes[10] == 0xFF && bytes[11] == 0xFF && bytes[12] == 127
        return isIPv6Loopback || isMappedIPv4Loopback
    }
}
