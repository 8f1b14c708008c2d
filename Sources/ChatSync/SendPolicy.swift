import ChatAPI
import ChatCache
import Foundation

/// What to do after a failed send: the retry rules of DESIGN.md, as a pure function.
struct SendPolicy {
    static let maxAttempts = 5
    /// Offline costs no attempt: look again soon (the poller also wakes the sender when the
    /// server answers again).
    static let offlineRetry: TimeInterval = 3

    struct Outcome: Equatable {
        var attempts: Int
        var state: OutboxState
        var nextAttemptAt: Date?
        /// The request may have reached the server.
        var needsCheck: Bool
        var reason: String
    }

    /// `attempts` is how many counted attempts failed before this one; `rateLimitStreak`
    /// how many 429s came in a row before this one.
    static func outcome(of error: APIError, attempts: Int, rateLimitStreak: Int, now: Date) -> Outcome {
        func retry(needsCheck: Bool) -> Outcome {
            let used = attempts + 1
            if used >= maxAttempts {
                return Outcome(attempts: used, state: .failed, nextAttemptAt: nil, needsCheck: needsCheck,
                               reason: "gave up after \(used) attempts: \(error)")
            }
            // 1, 2, 4, 8, 16 s.
            let delay = pow(2, Double(used - 1))
            return Outcome(attempts: used, state: .pending, nextAttemptAt: now.addingTimeInterval(delay), needsCheck: needsCheck,
                           reason: "\(error)")
        }
        switch error {
        case .offline:
            return Outcome(attempts: attempts, state: .pending, nextAttemptAt: now.addingTimeInterval(offlineRetry), needsCheck: false,
                           reason: "\(error)")
        case .rateLimited(let retryAfter, _):
            // The deployed backend sends no Retry-After: its window is one minute.
            let wait = retryAfter ?? min(60, 5 * pow(2, Double(rateLimitStreak)))
            return Outcome(attempts: attempts, state: .pending, nextAttemptAt: now.addingTimeInterval(wait), needsCheck: false,
                           reason: "\(error)")
        case .ambiguous, .malformed:
            return retry(needsCheck: true)
        case .retryable:
            return retry(needsCheck: false)
        case .authenticationFailed, .certificate:
            return Outcome(attempts: attempts, state: .pending, nextAttemptAt: now.addingTimeInterval(60), needsCheck: false,
                           reason: "\(error)")
        case .permanent(let status, let detail):
            return Outcome(attempts: attempts + 1, state: .failed, nextAttemptAt: nil, needsCheck: false,
                           reason: "the server refused it (\(status)): \(detail)")
        }
    }
}
