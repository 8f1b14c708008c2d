/// How chatfs exits: 64 is kept for usage errors (ArgumentParser's); runtime failures
/// have their own numbers (from sysexits.h where one fits), listed in the README and in
/// the man pages' EXIT STATUS (generated from `meaning`).
enum ExitStatus: Int32, CaseIterable {
    case success = 0
    case failure = 1
    case quotaReached = 3
    case usage = 64
    case noInput = 66
    case unavailable = 69
    case cannotMount = 71
    case refused = 77
    case configuration = 78
    case interrupted = 130

    var meaning: String {
        switch self {
        case .success: "Success."
        case .failure: "chatfs sync: a message failed to send; chatfs unmount: the mount is busy; any failure not listed here."
        case .quotaReached: "chatfs prefetch stopped at 90 % of the cache's quota."
        case .usage: "The command line is wrong (an unknown option, a missing argument); nothing was done."
        case .noInput: "No chatfs cache in the directory given, or the path is not inside a chatfs mount."
        case .unavailable: "The server cannot be reached and there is no cache to serve offline yet."
        case .cannotMount: "The mount point cannot be used (missing, not empty, already a live chatfs mount) or FUSE failed."
        case .refused: "The server refused: unknown user, login refused, no access."
        case .configuration: """
            A configuration error: the config file (malformed, unknown account or key), the server's TLS certificate \
            (not trusted, wrong name, expired), a CA, token or other file that cannot be used.
            """
        case .interrupted: "Interrupted (Ctrl-C)."
        }
    }
}
