import ChatAPI
import ChatCache
import Foundation

/// What to do after an attempt that did not put the message on the server: the retry
/// rules of docs/outbox.md, as pure functions.
///
/// An attempt is *counted* (five make a failure) only when the server answered: a 5xx, a
/// half answer, a garbled success. Being offline, getting no answer at all (a hung or
/// overloaded server) and being rate limited cost nothing: a slow server never fails a
/// message it never looked at.
struct SendPolicy {
    static let maxAttempts = 5
    /// Offline: look again soon (the poller also wakes the sender when the server answers).
    static let offlineRetry: TimeInterval = 3
    /// No answer at all: try again (look first, where that is needed) after this.
    static let noAnswerRetry: TimeInterval = 5

    struct Outcome: Equatable {
        var attempts: Int
        var state: OutboxState
        var nextAttemptAt: Date?
        /// The request may have reached the server.
        var needsCheck: Bool
        /// This attempt ended unanswered after the request left: the settle window starts now.
        var startsDoubt: Bool
        var reason: String
        var now: Date
    }

    /// `attempts`: counted attempts that failed before this one; `rateLimitStreak`: 429s in a
    /// row before this one; `mayBeOnServer`: an earlier attempt may have reached the server.
    static func outcome(of error: APIError, attempts: Int, mayBeOnServer: Bool, rateLimitStreak: Int, now: Date) -> Outcome {
        func wait(_ seconds: TimeInterval, inDoubt: Bool = false) -> Outcome {
            Outcome(attempts: attempts, state: .waiting, nextAttemptAt: now.addingTimeInterval(seconds),
                    needsCheck: mayBeOnServer || inDoubt, startsDoubt: inDoubt, reason: "\(error)", now: now)
        }
        func counted(inDoubt: Bool) -> Outcome {
            let used = attempts + 1
            if used >= maxAttempts {
                return Outcome(attempts: used, state: .failed, nextAttemptAt: nil, needsCheck: mayBeOnServer || inDoubt,
                               startsDoubt: inDoubt, reason: "gave up after \(used) attempts: \(error)", now: now)
            }
            // 1, 2, 4, 8, 16 s.
            var outcome = wait(pow(2, Double(used - 1)), inDoubt: inDoubt)
            outcome.attempts = used
            return outcome
        }
        switch error {
        case .offline:
            return wait(offlineRetry)
        case .noAnswer:
            return wait(noAnswerRetry, inDoubt: true)
        case .rateLimited(let retryAfter, _):
            // The deployed backend sends no Retry-After: its window is one minute.
            return wait(retryAfter ?? min(60, 5 * pow(2, Double(rateLimitStreak))))
        case .ambiguous:
            return counted(inDoubt: true)
        case .malformed:
            // A whole answer that does not decode (a garbled body, a proxy's sign-in page, a
            // body past the client's limit): the server is done with the request, so nothing
            // can still land later. Look for it once before sending again, but wait out no
            // settle window (docs/outbox.md, "Never twice").
            var outcome = counted(inDoubt: false)
            outcome.needsCheck = true
            return outcome
        case .retryable:
            return counted(inDoubt: false)
        case .authenticationFailed, .certificate:
            return wait(60)
        case .permanent(let status, let detail):
            return Outcome(attempts: attempts + 1, state: .failed, nextAttemptAt: nil, needsCheck: mayBeOnServer,
                           startsDoubt: false, reason: "the server refused it (\(status)): \(detail)", now: now)
        }
    }
}

/// Never send twice: what to do with an item an earlier attempt of which may have reached
/// the server (a timeout, a dropped connection, a crash in flight).
///
/// Where the server deduplicates by `clientTempId` (the delta generation) the same request
/// is simply sent again: the server answers with the message it already holds. The
/// deployed generation stores a second copy, so the sender looks for the message first,
/// and because a request the client gave up on can still be committed later (the deployed
/// backend waits up to 30 s for a database connection under load, then takes ~2 s to
/// store a message), one look proves nothing: it keeps looking until `settleWindow` has
/// passed since the last unanswered attempt, and only then sends again.
enum ResendRule {
    enum Decision: Equatable {
        /// Send now (with the same clientTempId).
        case send
        /// Look for the message on the server first.
        case look
    }

    /// Before an attempt on an item in doubt. Uploads are never deduplicated by the server.
    static func beforeAttempt(needsCheck: Bool, deduplicates: Bool, isAttachmentPending: Bool) -> Decision {
        guard needsCheck else { return .send }
        return deduplicates && !isAttachmentPending ? .send : .look
    }

    enum AfterMiss: Equatable {
        /// The earlier attempt may still land: look again at this time, send nothing.
        case lookAgain(at: Date)
        /// It can no longer land: send again.
        case send
    }

    /// A look found nothing. Looks come quickly at first (a request committed just after the
    /// client gave up), then further apart, with one last look when the window closes.
    static func afterMiss(inDoubtSince: Date?, now: Date, settleWindow: TimeInterval) -> AfterMiss {
        guard let since = inDoubtSince else { return .send }
        let closes = since.addingTimeInterval(settleWindow)
        guard now < closes else { return .send }
        let elapsed = max(0, now.timeIntervalSince(since))
        return .lookAgain(at: min(closes, now.addingTimeInterval(min(10, max(1, elapsed / 2)))))
    }
}
