import ArgumentParser
import ChatAPI
import ChatCache
import Foundation

/// Where a server's and user's cache lives: `$XDG_CACHE_HOME/chatfs/<host>/<user>/`
/// (`~/.cache` when XDG_CACHE_HOME is unset), or exactly `--cache-dir`.
struct CacheOptions: ParsableArguments {
    @Option(name: .customLong("cache-dir"), help: "The cache directory to use (default: $XDG_CACHE_HOME/chatfs/<host>/<user>).")
    var cacheDirectory: String?

    static var baseDirectory: URL {
        let environment = ProcessInfo.processInfo.environment
        if let xdg = environment["XDG_CACHE_HOME"], xdg.hasPrefix("/") {
            return URL(fileURLWithPath: xdg).appendingPathComponent("chatfs")
        }
        return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/chatfs")
    }

    func directory(server: URL, user: String) -> URL {
        if let cacheDirectory { return URL(fileURLWithPath: cacheDirectory) }
        return Self.baseDirectory
            .appendingPathComponent(ChatClient.serverHost(of: server) ?? "server")
            .appendingPathComponent(MessageFormat.senderName(username: user))
    }

    /// For commands that run without a server: the given directory, or the only cache there
    /// is. A directory that holds no cache is refused, never made into one.
    func existingDirectory() throws -> URL {
        if let cacheDirectory {
            let url = URL(fileURLWithPath: cacheDirectory)
            guard FileManager.default.fileExists(atPath: url.appendingPathComponent(ChatCache.databaseFileName).path) else {
                throw CommandFailure(.noInput, "\(cacheDirectory) holds no chatfs cache (no \(ChatCache.databaseFileName) there)")
            }
            return url
        }
        let base = Self.baseDirectory
        let found = (try? FileManager.default.contentsOfDirectory(atPath: base.path))?.flatMap { host in
            ((try? FileManager.default.contentsOfDirectory(atPath: base.appendingPathComponent(host).path)) ?? [])
                .map { base.appendingPathComponent(host).appendingPathComponent($0) }
        }.filter { FileManager.default.fileExists(atPath: $0.appendingPathComponent(ChatCache.databaseFileName).path) } ?? []
        guard !found.isEmpty else {
            throw CommandFailure(.noInput, "no cache found under \(base.path): mount first, or name one with --cache-dir")
        }
        guard found.count == 1 else {
            throw ValidationError("several caches under \(base.path); name one with --cache-dir:\n" + found.map(\.path).joined(separator: "\n"))
        }
        return found[0]
    }
}
