import ChatCache
import ChatFS
import Foundation
import SystemIntegration

/// A chatfs mount found from a path inside it, by the kernel's mount table: a command
/// that acts on a tree (read, pin, sync, unmount) must never act on another filesystem.
enum MountedTree {
    /// The mount point of the chatfs mount holding `path`.
    static func root(containing path: String) throws -> String {
        try mount(containing: path).mountPoint
    }

    /// The mount table's entry of the chatfs mount holding `path`.
    static func mount(containing path: String) throws -> MountEntry {
        let resolved = ResolvedPath.of(path)
        guard let mount = try MountTable.current().mount(containing: resolved),
              mount.fileSystemType == MountPointCheck.fileSystemType else {
            throw CommandFailure(.noInput, "\(path) is not inside a chatfs mount")
        }
        return mount
    }

    /// The mount's `.chatfs/status.json`: the stable form of its status (README "Status").
    static func status(of root: String) throws -> CacheStatus {
        let path = root + "/" + ChatFilesystem.statusJSONPath
        do {
            return try CacheStatus.decode(Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw CommandFailure(.failure, "cannot read \(path): \(error)")
        }
    }
}
