import ArgumentParser
import ChatAPI
import ChatCache
import Foundation

/// How a command reaches the server and whose cache it uses: shared by `mount` and
/// `prefetch`.
struct ServerConnection: ParsableArguments {
    @Option(help: "The Support Center server, e.g. https://support.example.com (plain http only to loopback).")
    var server: String

    @Option(help: "Log in as this user (passwordless /auth/login).")
    var user: String?

    @Option(name: .customLong("token-file"), help: "A 0600 file holding a bearer token (deployments whose login needs a password or SSO).")
    var tokenFile: String?

    @Option(name: .customLong("request-timeout"), help: "Seconds one HTTP request may take (the deployed backend can take 30 s under load).")
    var requestTimeout: Double = 60

    @Flag(name: .customLong("allow-insecure-http"), help: "Allow plain http to a host that is not loopback (the token travels in clear).")
    var allowInsecureHTTP = false

    @OptionGroup var cache: CacheOptions

    func validate() throws {
        guard URL(string: server)?.host != nil else { throw ValidationError("--server must be a URL like https://host[:port]") }
        guard user != nil || tokenFile != nil || ProcessInfo.processInfo.environment["CHATFS_TOKEN"] != nil else {
            throw ValidationError("give --user NAME, --token-file FILE, or CHATFS_TOKEN in the environment")
        }
        guard requestTimeout > 0 else { throw ValidationError("--request-timeout must be positive") }
    }

    var serverURL: URL { URL(string: server)! }

    /// The name the cache is kept under: the user, or "token" for token logins.
    var userName: String { user ?? "token" }

    var cacheDirectory: URL { cache.directory(server: serverURL, user: userName) }

    func credentials() throws -> Credentials {
        if let tokenFile { return .token(try TokenFile.read(tokenFile)) }
        if let user { return .username(user) }
        return .token(ProcessInfo.processInfo.environment["CHATFS_TOKEN"]!.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// The API client, with its token kept (0600) in the cache directory.
    func makeClient(logLevel: String) throws -> ChatClient {
        try ChatClient(
            server: serverURL, credentials: credentials(),
            tokenStore: FileTokenStore(path: cacheDirectory.appendingPathComponent("token").path),
            allowInsecureHTTP: allowInsecureHTTP, requestTimeout: requestTimeout, logger: Log.make("api", level: logLevel))
    }

    /// Records which server and user a cache belongs to (shown by `chatfs status`).
    func label(_ store: ChatCache) throws {
        try store.setMeta(.server, server)
        try store.setMeta(.user, userName)
    }
}

enum TokenFile {
    /// Reads a bearer token, refusing a file other users can read.
    static func read(_ path: String) throws -> String {
        var info = stat()
        guard stat(path, &info) == 0 else { throw ValidationError("cannot read the token file \(path): \(String(cString: strerror(errno)))") }
        guard info.st_mode & 0o077 == 0 else {
            throw ValidationError("the token file \(path) is readable by others: chmod 600 \(path)")
        }
        let token = try String(contentsOfFile: path, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty else { throw ValidationError("the token file \(path) is empty") }
        return token
    }
}
