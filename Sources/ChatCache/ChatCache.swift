import Foundation
import GRDB
import Logging

/// The local copy of one user's chats on one server: a SQLite database (WAL) in a private
/// directory. Readers (FUSE worker threads) never wait for the writer (the sync thread).
///
/// Everything is reached through this type; the queries live in extensions, one file per
/// concern: `ChatCache+Reads` (the tree), `ChatCache+SyncWrites` (what sync stores),
/// `ChatCache+Status`.
public final class ChatCache: Sendable {
    public let directory: URL
    let pool: DatabasePool
    let logger: Logger

    public static let databaseFileName = "cache.sqlite"
    /// The page cache of each reading connection (docs/design.md, "Memory").
    static let readerPageCacheKiB = 256

    /// Opens (creating when needed) the cache in `directory`, which is created 0700; the
    /// database files are 0600. A database of another schema version is rebuilt.
    public init(directory: URL, logger: Logger) throws {
        self.directory = directory
        self.logger = logger
        try PrivateFiles.makeDirectory(directory)
        let path = directory.appendingPathComponent(Self.databaseFileName).path
        // SQLite gives the -wal and -shm files the main file's mode: create it 0600 first.
        try PrivateFiles.touch(path)

        var config = Configuration()
        // FUSE's workers (4 on 2 cores, 2 per core on larger machines, ChatFS.WorkerPool)
        // plus the sync readers: each gets a connection up to 16 cores; beyond, one waits.
        config.maximumReaderCount = 12
        config.busyMode = .timeout(10)
        config.prepareDatabase { db in
            // Messages can always be fetched again: a commit need not reach the disk before
            // it returns. What only exists here (the outbox) uses `durableWrite`.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // SQLite's page cache is per connection (2 MB each by default, 13 connections):
            // readers find their pages in the OS page cache anyway; the writer keeps the
            // default, which the full-text index of a 500-message page uses.
            if db.configuration.readonly { try db.execute(sql: "PRAGMA cache_size = -\(Self.readerPageCacheKiB)") }
        }
        pool = try DatabasePool(path: path, configuration: config)
        let outcome = try pool.writeWithoutTransaction { try CacheSchema.prepare($0) }
        if case .rebuilt(let old) = outcome {
            logger.notice("cache schema \(old.map(String.init) ?? "unknown") is not \(CacheSchema.version): rebuilt the cache (unsent messages kept)")
        }
    }

    /// A write whose commit is on disk (WAL fsynced) when this returns: for rows that
    /// exist nowhere else, such as a message the user was just told is queued.
    public func durableWrite<T>(_ updates: (Database) throws -> T) throws -> T {
        try pool.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
            defer { try? db.execute(sql: "PRAGMA synchronous = NORMAL") }
            var result: T?
            try db.inTransaction {
                result = try updates(db)
                return .commit
            }
            return result!
        }
    }

    // MARK: meta

    public enum MetaKey: String, Sendable, CaseIterable {
        case server, user, generation, lastSync, lastError
        /// The last file the outbox refused, with the reason (close() got the errno).
        case lastRefusal
        /// The cache's quota in bytes (`chatfs mount --cache-size`); absent = the default.
        case cacheQuota
        /// The last attachment that could not be opened, with the reason (the open got EIO).
        case lastMediaError
        /// `technician` or `requester`: from the login answer, or whether the queue views
        /// answer (token logins); kept for offline mounts.
        case role
    }

    public func meta(_ key: MetaKey) throws -> String? {
        try pool.read { try String.fetchOne($0, sql: "SELECT value FROM meta WHERE key = ?", arguments: [key.rawValue]) }
    }

    public func setMeta(_ key: MetaKey, _ value: String?) throws {
        try pool.write { db in
            if let value {
                try db.execute(sql: "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                               arguments: [key.rawValue, value])
            } else {
                try db.execute(sql: "DELETE FROM meta WHERE key = ?", arguments: [key.rawValue])
            }
        }
    }
}

/// Files only the user can read: the cache holds private conversations.
enum PrivateFiles {
    static func makeDirectory(_ url: URL) throws {
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: url.path)
    }

    static func touch(_ path: String) throws {
        let fd = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw CacheError.cannotOpen(path, String(cString: strerror(errno))) }
        fchmod(fd, 0o600)
        close(fd)
    }
}

public enum CacheError: Error, CustomStringConvertible {
    case cannotOpen(String, String)
    case unknownChat(Int64)

    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason): "cannot open the cache at \(path): \(reason)"
        case .unknownChat(let rowID): "no chat with row id \(rowID) in the cache"
        }
    }
}
