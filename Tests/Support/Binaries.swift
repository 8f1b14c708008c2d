import Foundation

/// Where the built `chatfs` and `chatfs-server` are: `$CHATFS_BIN_DIR` (scripts/test sets
/// it), else this package's `.build/debug`.
public enum Binaries {
    public static var directory: String {
        if let dir = ProcessInfo.processInfo.environment["CHATFS_BIN_DIR"], !dir.isEmpty { return dir }
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return packageRoot.appendingPathComponent(".build/debug").path
    }

    public static var chatfs: String { directory + "/chatfs" }
    public static var server: String { directory + "/chatfs-server" }
}

/// Whether real mounts can run here. In CI (`CI=true`) they always run, so a machine that
/// cannot mount fails loudly instead of skipping.
public enum MountSupport {
    public static var available: Bool {
        if ProcessInfo.processInfo.environment["CI"] == "true" { return true }
        let canMount = FileManager.default.fileExists(atPath: "/dev/fuse")
            && FileManager.default.isExecutableFile(atPath: "/usr/bin/fusermount3")
            && FileManager.default.isExecutableFile(atPath: Binaries.chatfs)
            && FileManager.default.isExecutableFile(atPath: Binaries.server)
        if !canMount {
            FileHandle.standardError.write(Data("""
                ************************************************************************
                MOUNT TESTS SKIPPED: /dev/fuse, fusermount3 or the built binaries are
                missing (looked in \(Binaries.directory)). Run scripts/test.
                ************************************************************************

                """.utf8))
        }
        return canMount
    }
}

extension MountSupport {
    /// The binaries are ThreadSanitizer builds (`scripts/sanitize thread` sets
    /// `CHATFS_SANITIZER=thread`). TSan ends a stopped mount's process before it unmounts
    /// (libfuse cancels its workers inside TSan's read interceptor: `FuseSession.loop`), so
    /// the tests of what a clean stop does cannot pass there and say so instead.
    public static var stopEndsInThreadSanitizer: Bool {
        ProcessInfo.processInfo.environment["CHATFS_SANITIZER"] == "thread"
    }
}
