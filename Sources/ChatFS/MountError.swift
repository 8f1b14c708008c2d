/// Why a mount did not happen, worded for the person who typed the command.
public enum MountError: Error, CustomStringConvertible, Equatable {
    case mountPointMissing(String)
    case mountPointNotADirectory(String)
    case invalidOptions(reason: String)
    case mountFailed(mountPoint: String, reason: String)
    case alreadyMounted

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
        }
    }
}
