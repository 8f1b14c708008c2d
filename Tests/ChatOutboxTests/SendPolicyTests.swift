import ChatAPI
import ChatCache
import Foundation
import Testing
@testable import ChatOutbox

struct SendPolicyTests {
    let now = Date(timeIntervalSince1970: 1_000_000)

    @Test func serverErrorsBackOffOneTwoFourEightSixteenThenFail() {
        var attempts = 0
        var delays: [Double] = []
        while true {
            let outcome = SendPolicy.outcome(of: .retryable(status: 500, detail: "boom"), attempts: attempts, mayBeOnServer: false, rateLimitStreak: 0, now: now)
            attempts = outcome.attempts
            guard outcome.state == .waiting, let next = outcome.nextAttemptAt else {
                #expect(outcome.state == .failed)
                #expect(outcome.reason.contains("boom"))
                break
            }
            delays.append(next.timeIntervalSince(now))
        }
        #expect(delays == [1, 2, 4, 8])
        #expect(attempts == 5)
    }

    @Test func beingOfflineOrRateLimitedSpendsNoAttempt() {
        let offline = SendPolicy.outcome(of: .offline("refused"), attempts: 3, mayBeOnServer: false, rateLimitStreak: 0, now: now)
        #expect(offline.attempts == 3 && offline.state == .waiting && !offline.needsCheck)
        let limited = SendPolicy.outcome(of: .rateLimited(retryAfter: nil, detail: "30 per 1 minute"), attempts: 3, mayBeOnServer: false, rateLimitStreak: 0, now: now)
        #expect(limited.attempts == 3 && limited.state == .waiting)
        let told = SendPolicy.outcome(of: .rateLimited(retryAfter: 42, detail: ""), attempts: 0, mayBeOnServer: false, rateLimitStreak: 0, now: now)
        #expect(told.nextAttemptAt == now.addingTimeInterval(42))
        let streak = SendPolicy.outcome(of: .rateLimited(retryAfter: nil, detail: ""), attempts: 0, mayBeOnServer: false, rateLimitStreak: 10, now: now)
        #expect(streak.nextAttemptAt == now.addingTimeInterval(60))
    }

    @Test func aHalfAnswerMeansLookBeforeSendingAgain() {
        let outcome = SendPolicy.outcome(of: .ambiguous("connection reset"), attempts: 0, mayBeOnServer: false, rateLimitStreak: 0, now: now)
        #expect(outcome.needsCheck && outcome.startsDoubt && outcome.attempts == 1 && outcome.state == .waiting)
    }

    /// A garbled success: looked for before sending again, but the server is done with the
    /// request, so no settle window starts.
    @Test func aGarbledAnswerIsLookedForWithoutASettleWindow() {
        let outcome = SendPolicy.outcome(of: .malformed("not JSON"), attempts: 0, mayBeOnServer: false, rateLimitStreak: 0, now: now)
        #expect(outcome.needsCheck && !outcome.startsDoubt && outcome.attempts == 1 && outcome.state == .waiting)
    }

    /// A hung server: no answer at all is in doubt, but costs no attempt, however often.
    @Test func noAnswerAtAllSpendsNoAttempt() {
        let outcome = SendPolicy.outcome(of: .noAnswer("timed out"), attempts: 4, mayBeOnServer: false, rateLimitStreak: 0, now: now)
        #expect(outcome.needsCheck && outcome.startsDoubt && outcome.attempts == 4 && outcome.state == .waiting)
    }

    @Test func anEarlierDoubtSurvivesAnOfflineRetry() {
        let outcome = SendPolicy.outcome(of: .offline("refused"), attempts: 1, mayBeOnServer: true, rateLimitStreak: 0, now: now)
        #expect(outcome.needsCheck && !outcome.startsDoubt)
    }

    @Test func aRefusalFailsAtOnceWithTheServersReason() {
        let outcome = SendPolicy.outcome(of: .permanent(status: 400, detail: "Cannot send message to a closed/solved task"),
                                         attempts: 0, mayBeOnServer: false, rateLimitStreak: 0, now: now)
        #expect(outcome.state == .failed)
        #expect(outcome.reason.contains("closed/solved"))
    }
}
