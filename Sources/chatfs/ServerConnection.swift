import ArgumentParser
import ChatAPI
import ChatCache
import Foundation

/// How a command reaches the server and whose cache it uses: shared by `mount` and
/// `prefetch`. The server and the login may come from an account of the config file, so
/// they are checked when the command runs, not while parsing.
struct ServerConnection: ParsableArguments {
    @Option(help: "The Support Center server, e.g. https://support.example.com (plain http only to loopback).")
    var server: String?

    @Option(help: "Log in as this user (passwordless /auth/login).")
    var user: String?

    @Option(name: .customLong("token-file"), help: "A 0600 file holding a bearer token (deployments whose login needs a password or SSO).")
    var tokenFile: String?

    @Option(name: .customLong("request-timeout"), help: "Seconds one HTTP request may take (the deployed backend can take 30 s under load).")
    var requestTimeout: Double = 60

    @Option(name: .customLong("ca-file"), help: "A PEM file of the CAs to trust for the server's certificate (a private CA; default: $CURL_CA_BUNDLE, $SSL_CERT_FILE, then the system's).")
    var caFile: String?

    @Flag(name: .customLong("allow-insecure-http"), help: "Allow plain http to a host that is not loopback (the token travels in clear).")
    var allowInsecureHTTP = false

    @OptionGroup var cache: CacheOptions

    func validate() throws {
        if let server, URL(string: server)?.host == nil { throw ValidationError("--server must be a URL like https://host[:port]") }
        guard requestTimeout > 0 else { throw ValidationError("--request-timeout must be positive") }
    }

    /// Environment variables that name a CA bundle, in the order curl(1) reads them.
    static let caBundleVariables = ["CURL_CA_BUNDLE", "SSL_CERT_FILE"]

    func serverURL() throws -> URL {
        guard let server, let url = URL(string: server) else {
            throw ValidationError("give --server URL, or the name of an account of \(UserConfig.path)")
        }
        return url
    }

    /// The name the cache is kept under: the user, or "token" for token logins.
    var userName: String { user ?? "token" }

    func cacheDirectory() throws -> URL { cache.directory(server: try serverURL(), user: userName) }

    func credentials() throws -> Credentials {
        if let tokenFile { return .token(try TokenFile.read(tokenFile)) }
        if let user { return .username(user) }
        if let token = ProcessInfo.processInfo.environment["CHATFS_TOKEN"] {
            return .token(token.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        throw ValidationError("give --user NAME, --token-file FILE, or CHATFS_TOKEN in the environment")
    }

    /// The CA bundle to verify the server with and where it was named; nil: the system's.
    var caBundle: (path: String, source: String)? {
        if let caFile { return (caFile, "--ca-file") }
        let environment = ProcessInfo.processInfo.environment
        return Self.caBundleVariables.lazy.compactMap { name in environment[name].flatMap { $0.isEmpty ? nil : ($0, "$" + name) } }.first
    }

    /// The API client, with its token kept (0600) in the cache directory.
    func makeClient(logLevel: String) throws -> ChatClient {
        let credentials = try credentials()
        if let bundle = caBundle, !FileManager.default.isReadableFile(atPath: bundle.path) {
            throw CommandFailure(.configuration, "cannot read the CA file \(bundle.path) (from \(bundle.source))")
        }
        return try ChatClient(
            server: serverURL(), credentials: credentials,
            tokenStore: FileTokenStore(path: cacheDirectory().appendingPathComponent("token").path),
            allowInsecureHTTP: allowInsecureHTTP, requestTimeout: requestTimeout, caFile: caBundle?.path,
            logger: Log.make("api", level: logLevel))
    }

    /// Records which server and user a cache belongs to (shown by `chatfs status`).
    func label(_ store: ChatCache) throws {
        try store.setMeta(.server, serverURL().absoluteString)
        try store.setMeta(.user, userName)
    }
}

enum TokenFile {
    /// Reads a bearer token, refusing a file other users can read.
    static func read(_ path: String) throws -> String {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw CommandFailure(.configuration, "cannot read the token file \(path): \(String(cString: strerror(errno)))")
        }
        guard info.st_mode & 0o077 == 0 else {
            throw CommandFailure(.configuration, "the token file \(path) is readable by others: chmod 600 \(path)")
        }
        let token = try String(contentsOfFile: path, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty else { throw CommandFailure(.configuration, "the token file \(path) is empty") }
        return token
    }
}
