/// Why an attachment could not be opened. The filesystem answers EIO; the reason goes to
/// the log and to `.chatfs/status` (`lastMediaError`). Nothing is kept in any of these cases.
public enum MediaError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The cache lists no such attachment (gone, pending or corrupted since).
    case unknown(rowID: Int64)
    /// 404: the server does not have it.
    case notOnServer(name: String)
    /// 410, or listed as corrupted / failed: the server cannot serve it.
    case unavailable(name: String, reason: String)
    /// 202 until the open's deadline: the upload is still being processed.
    case stillPending(name: String)
    /// The download did not finish within the open's timeout (it goes on in the background).
    case timedOut(name: String, seconds: Double)
    case sizeMismatch(name: String, expected: Int, received: Int)
    case hashMismatch(name: String, expected: String, received: String)
    case tooLarge(name: String, size: Int, limit: Int)
    /// The network or the server failed (offline, 5xx, a malformed answer...).
    case transfer(name: String, reason: String)
    /// The cache could not store it (disk full, permissions).
    case local(name: String, reason: String)

    public var description: String {
        switch self {
        case .unknown(let rowID): "no listed attachment with row id \(rowID)"
        case .notOnServer(let name): "\(name): the server does not have it (404)"
        case .unavailable(let name, let reason): "\(name): the server cannot serve it (\(reason))"
        case .stillPending(let name): "\(name): the upload is still pending on the server (202)"
        case .timedOut(let name, let seconds): "\(name): the download did not finish within \(Int(seconds)) s"
        case .sizeMismatch(let name, let expected, let received):
            "\(name): received \(received) bytes, the server announced \(expected); nothing kept"
        case .hashMismatch(let name, let expected, let received):
            "\(name): sha256 \(received) does not match the server's \(expected); nothing kept"
        case .tooLarge(let name, let size, let limit): "\(name): \(size) bytes is more than the \(limit) bytes chatfs downloads"
        case .transfer(let name, let reason): "\(name): download failed: \(reason)"
        case .local(let name, let reason): "\(name): cannot store it in the cache: \(reason)"
        }
    }
}
