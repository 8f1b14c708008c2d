import Foundation
import Locking
import SystemIntegration

/// A private directory under the system temp directory, removed with everything in it
/// when the last reference goes away.
public final class TemporaryDirectory: Sendable {
    public let path: String

    public init(_ prefix: String) throws {
        path = try makeTemporaryDirectory(prefix)
    }

    deinit { TemporaryPaths.remove(path) }
}

/// A fresh private directory under the system temp directory, removed when the test
/// process exits (a `TemporaryDirectory` goes sooner).
public func makeTemporaryDirectory(_ prefix: String) throws -> String {
    let path = NSTemporaryDirectory() + "\(prefix)-\(UUID().uuidString.prefix(8))"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    TemporaryPaths.register(path)
    return path
}

/// What the tests create under the temp directory, removed at exit at the latest: a run
/// of the suite used to leave hundreds of folders behind. Never removed while something
/// is mounted inside: deleting through a live mount would delete the mounted files.
enum TemporaryPaths {
    private static let registered = Locked<Set<String>?>(nil)

    /// A file or directory to remove when the process exits.
    static func register(_ path: String) {
        registered.withLock { paths in
            if paths == nil { atexit { TemporaryPaths.removeAll() } }
            paths = (paths ?? []).union([path])
        }
    }

    /// Removes `path` now, or at exit when something is still mounted inside: a
    /// `TemporaryDirectory` may be released (after its last use) before the test's
    /// `defer` has unmounted what it holds.
    static func remove(_ path: String) {
        guard !hasMount(inside: path) else { return }
        registered.withLock { _ = $0?.remove(path) }
        try? FileManager.default.removeItem(atPath: path)
    }

    private static func hasMount(inside path: String) -> Bool {
        ((try? MountTable.current())?.entries ?? []).contains { MountTable.path($0.mountPoint, isInside: path) }
    }

    private static func removeAll() {
        for path in registered.withLock({ $0 ?? [] }) {
            if hasMount(inside: path) {
                FileHandle.standardError.write(Data("tests: \(path) still has a mount in it; left in place\n".utf8))
            } else {
                remove(path)
            }
        }
    }
}
