/// Every failure a `ChatClient` call reports, sorted by what the caller may do next.
public enum APIError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Nothing reached the server: retry freely later.
    case offline(String)
    /// The request went out but no complete answer came: a POST may or may not have
    /// been applied (check before sending again).
    case ambiguous(String)
    /// The request went out and not one byte of an answer came back (a hung or overloaded
    /// server, a connection closed unanswered). In doubt like `.ambiguous`, but the server
    /// may never have looked at the request: it says nothing about the request itself.
    case noAnswer(String)
    /// 5xx, a 202 for a download still pending, and a 401 right after a fresh login
    /// (the deployed backend answers 401 when overloaded): back off and retry.
    case retryable(status: Int, detail: String)
    /// 429; `retryAfter` in seconds when the server said (it usually does not).
    case rateLimited(retryAfter: Double?, detail: String)
    /// Retrying the same request will not help (400, 401 with a fixed token, 403, 404,
    /// 409, 410, 422, an unfollowed redirect). Status 0: a local failure such as a
    /// download destination that cannot be written.
    case permanent(status: Int, detail: String)
    /// The login itself was refused (404 unknown user, 403 inactive account).
    case authenticationFailed(String)
    /// A successful status with a body that does not decode (or is too large).
    case malformed(String)
    /// TLS refused the server's certificate (or the CA bundle): a configuration problem
    /// that waiting does not fix. Nothing reached the server.
    case certificate(TLSProblem)

    public var isOffline: Bool {
        if case .offline = self { return true }
        return false
    }

    /// A POST may or may not have been applied: look before sending again.
    public var isInDoubt: Bool {
        switch self {
        case .ambiguous, .noAnswer: true
        default: false
        }
    }

    public var description: String {
        switch self {
        case .offline(let detail): "server unreachable: \(detail)"
        case .ambiguous(let detail): "no complete answer from the server: \(detail)"
        case .noAnswer(let detail): "no answer from the server: \(detail)"
        case .retryable(let status, let detail): "temporarily unavailable (HTTP \(status)): \(detail)"
        case .rateLimited(let retryAfter, let detail):
            "rate limited\(retryAfter.map { ", retry after \($0) s" } ?? ""): \(detail)"
        case .permanent(let status, let detail): status == 0 ? detail : "HTTP \(status): \(detail)"
        case .authenticationFailed(let detail): "login refused: \(detail)"
        case .malformed(let detail): "malformed answer from the server: \(detail)"
        case .certificate(let problem): "\(problem)"
        }
    }
}
