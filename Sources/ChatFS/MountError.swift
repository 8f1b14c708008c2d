/// Why a mount did not happen, worded for the person who typed the command.
public enum MountError: Error, CustomStringConvertible, Equatable {
    case mountPointMissing(String)
    case mountPointNotADirectory(String)
    case invalidOptions(reason: String)
    case mountFailed(mountPoint: String, reason: String)
    case alreadyMounted
    /// A chatfs daemon is serving that mount point already.
    case liveMount(String)
    /// A chatfs mount is there, its daemon does not answer, and its connection could not be aborted.
    case unresponsiveMount(String, reason: String)
    /// Mounting would hide the files there (`--allow-non-empty` / `-o nonempty` to do it anyway).
    case notEmpty(String)

    public var description: String {
        switch self {
        case .mountPointMissing(let path):
            "mount point \(path) does not exist"
        case .mountPointNotADirectory(let path):
            "mount point \(path) is not a directory"
        case .invalidOptions(let reason):
            "invalid FUSE options: \(reason)"
        case .mountFailed(let path, let reason):
            "cannot mount on \(path): \(reason)"
        case .alreadyMounted:
            "this filesystem is already mounted"
        case .liveMount(let path):
            "\(path) is already a live chatfs mount: use it, or 'chatfs unmount \(path)' first"
        case .unresponsiveMount(let path, let reason):
            "the chatfs mount at \(path) does not answer and \(reason)"
        case .notEmpty(let path):
            "mount point \(path) is not empty: mounting would hide its files (--allow-non-empty or -o nonempty to mount anyway)"
        }
    }
}
