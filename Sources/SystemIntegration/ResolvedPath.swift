import Foundation

/// Paths as the mount table spells them: absolute, without `.`, `..` or symlinks.
public enum ResolvedPath {
    /// Resolves the parent directory with `realpath` but never looks inside the last
    /// component unless it is a symlink, because a dead FUSE mount there would answer
    /// "Transport endpoint is not connected" (or hang); never `lstat`s a mount point.
    public static func of(_ path: String) -> String {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        // `isDirectory` given: otherwise Foundation `stat`s the path to find out.
        let url = URL(fileURLWithPath: absolute, isDirectory: false).standardizedFileURL
        let name = url.lastPathComponent
        let parentPath = url.deletingLastPathComponent().path
        guard url.path != "/" else { return "/" }
        let parent = realpath(parentPath) ?? parentPath
        let candidate = (parent == "/" ? "" : parent) + "/" + name
        // A mount point is never a symlink, and even `lstat` of one whose daemon does not
        // answer can hang (its attributes expired): the mount table says enough.
        if let table = try? MountTable.current(), !table.mounts(at: candidate).isEmpty { return candidate }
        var info = stat()
        if lstat(candidate, &info) == 0, info.st_mode & S_IFMT == S_IFLNK {
            return realpath(candidate) ?? candidate
        }
        return candidate
    }

    private static func realpath(_ path: String) -> String? {
        guard let resolved = Glibc.realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
