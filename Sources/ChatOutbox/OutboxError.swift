import Foundation

/// Why the outbox did not do what the filesystem asked; each maps to one errno.
public enum OutboxError: Error, Equatable, Sendable {
    /// The file is gone (sent, cancelled) since the caller looked.
    case gone
    /// An attempt is in flight, or an earlier one may have reached the server and has not
    /// been looked for yet: changing it now could make what the user is told untrue.
    case busy
    /// The name is taken (by a failed file listed as `<name>.failed`, or NOREPLACE).
    case exists
    /// A failed or refused file: read-only (rename it to retry, rm to dismiss).
    case readOnly
    case invalidName
    case refused(OutboxRefusal)

    public var errno: Int32 {
        switch self {
        case .gone: ENOENT
        case .busy: EBUSY
        case .exists: EEXIST
        case .readOnly: EACCES
        case .invalidName: EINVAL
        case .refused(let refusal): refusal.errno
        }
    }
}
