import Foundation
import SystemIntegration

/// A private directory under the system temp directory, removed with everything in it
/// when the last reference goes away. Never removed while something is mounted in it:
/// deleting through a live mount would delete the mounted files.
public final class TemporaryDirectory: Sendable {
    public let path: String

    public init(_ prefix: String) throws {
        path = try makeTemporaryDirectory(prefix)
    }

    deinit {
        let mounted = ((try? MountTable.current())?.entries ?? []).contains { MountTable.path($0.mountPoint, isInside: path) }
        if mounted {
            FileHandle.standardError.write(Data("TemporaryDirectory: \(path) still has a mount in it; left in place\n".utf8))
        } else {
            try? FileManager.default.removeItem(atPath: path)
        }
    }
}
