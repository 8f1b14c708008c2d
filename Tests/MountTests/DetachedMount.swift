import Foundation
import SystemIntegration
import TestSupport

/// `chatfs mount` run the way people run it (detached, or through mount(8)): finds the
/// daemon it left, and stops only that one (by PID) and only that mount point.
struct DetachedMount {
    let mountPoint: String

    /// How many mounts are stacked on the mount point.
    var count: Int { (try? MountTable.current().mounts(at: mountPoint).count) ?? 0 }
    var isMounted: Bool { count > 0 }

    /// The daemon serving the mount point: a chatfs detached child whose command line names it.
    var daemon: Int32? {
        let candidates = (try? run(["pgrep", "-f", mountPoint]).stdout) ?? ""
        return candidates.split(separator: "\n").compactMap { Int32($0) }.first { pid in
            let arguments = (try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/cmdline"))) ?? Data()
            let words = arguments.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
            return words.contains("--detached-child") && words.contains(mountPoint)
        }
    }

    /// Kills the daemon (SIGKILL, this PID only) and clears the mount point; safe to repeat.
    func stop() {
        if let pid = daemon { kill(pid, SIGKILL) }
        for _ in 0..<max(count, 1) where isMounted { _ = try? run(["fusermount3", "-uz", mountPoint]) }
    }

    /// Waits for `chatfs unmount` (or umount) to have ended the daemon and the mount.
    func waitUntilGone() -> Bool {
        eventually(timeout: 20) { daemon == nil && !isMounted }
    }
}
