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
    /// Read to its end, not by `Data(contentsOf:)`, which reads only as many bytes as fstat
    /// gives: the file reads the status as it was at the open, and fstat gives the size of
    /// the status now, which is shorter once a change shrank it in between (our reading of
    /// `chatfs sync` failing twice right after a server came back, in the TSan mount passes:
    /// RELIABILITY.md, "Sanitizers").
    static func status(of root: String) throws -> CacheStatus {
        let path = root + "/" + ChatFilesystem.statusJSONPath
        do {
            let file = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
            defer { try? file.close() }
            return try CacheStatus.decode(try file.readToEnd() ?? Data())
        } catch {
            throw CommandFailure(.failure, "cannot read \(path): \(error)")
        }
    }
}
