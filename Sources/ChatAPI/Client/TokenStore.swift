import Foundation

/// Where a logged-in client keeps its bearer token between runs.
public protocol TokenStore: Sendable {
    /// The stored token, or nil when there is none (or it cannot be read).
    func load() -> String?
    func save(_ token: String) throws
}

public struct TokenStoreError: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var operation: String
    public var errno: Int32

    public var description: String {
        "cannot \(operation) token file \(path): \(String(cString: strerror(errno)))"
    }
}

/// A token in a file of its own, mode 0600. Saving writes a temporary file in the same
/// directory and renames it over the old one, so a crash never leaves half a token.
/// The parent directory must exist.
public struct FileTokenStore: TokenStore {
    /// A JWT is a few hundred bytes; anything far larger is not a token.
    private static let maxTokenBytes = 16 * 1024

    public let path: String

    public init(path: String) {
        self.path = path
    }

    public func load() -> String? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        guard let data = try? handle.read(upToCount: Self.maxTokenBytes + 1),
              data.count <= Self.maxTokenBytes
        else { return nil }
        let token = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return token.isEmpty ? nil : token
    }

    public func save(_ token: String) throws {
        let temporaryPath = "\(path).tmp-\(getpid())-\(UInt32.random(in: .min ... .max))"
        let descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw TokenStoreError(path: path, operation: "create", errno: errno)
        }
        var failure: TokenStoreError?
        let bytes = Array((token + "\n").utf8)
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        if written != bytes.count {
            failure = TokenStoreError(path: path, operation: "write", errno: written < 0 ? errno : EIO)
        } else if fsync(descriptor) != 0 {
            failure = TokenStoreError(path: path, operation: "sync", errno: errno)
        }
        close(descriptor)
        if failure == nil, rename(temporaryPath, path) != 0 {
            failure = TokenStoreError(path: path, operation: "replace", errno: errno)
        }
        if let failure {
            unlink(temporaryPath)
            throw failure
        }
    }
}
