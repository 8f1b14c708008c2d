@testable import ChatOutbox
import Foundation
import Testing

@Suite struct ResendRuleTests {
    let since = Date(timeIntervalSince1970: 1_780_000_000)

    @Test func aDeduplicatingServerGetsTheSameRequestAgain() {
        #expect(ResendRule.beforeAttempt(needsCheck: true, deduplicates: true, isAttachmentPending: false) == .send)
        #expect(ResendRule.beforeAttempt(needsCheck: true, deduplicates: false, isAttachmentPending: false) == .look)
        // Uploads are never deduplicated.
        #expect(ResendRule.beforeAttempt(needsCheck: true, deduplicates: true, isAttachmentPending: true) == .look)
        #expect(ResendRule.beforeAttempt(needsCheck: false, deduplicates: false, isAttachmentPending: true) == .send)
    }

    @Test func looksAgainUntilTheWindowClosesThenSends() {
        var now = since
        var looks = 0
        while case .lookAgain(let at) = ResendRule.afterMiss(inDoubtSince: since, now: now, settleWindow: 45) {
            #expect(at > now)
            #expect(at <= since.addingTimeInterval(45))
            now = at
            looks += 1
        }
        #expect(now == since.addingTimeInterval(45), "the last look is when the window closes")
        #expect(looks >= 5 && looks <= 12)
    }

    @Test func noDoubtNoWait() {
        #expect(ResendRule.afterMiss(inDoubtSince: nil, now: since, settleWindow: 45) == .send)
    }
}
