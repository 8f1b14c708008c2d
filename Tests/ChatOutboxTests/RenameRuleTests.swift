import ChatCache
@testable import ChatOutbox
import Foundation
import Testing

/// The rename decision table: what `mv` inside outboxes does, editors' save patterns included.
@Suite struct RenameRuleTests {
    func record(_ state: OutboxState, inDoubt: Bool = false) -> OutboxRecord {
        OutboxRecord(rowID: 1, chatID: "c", name: "source", size: 4, state: state, clientTempID: "t", queueOrder: 1,
                     needsCheck: inDoubt)
    }

    func action(_ state: OutboxState, to newName: String, inDoubt: Bool = false, open: Bool = false,
                target: RenameRule.Target = .free, flags: UInt32 = 0) -> RenameRule.Action {
        RenameRule.action(source: record(state, inDoubt: inDoubt), isOpenForWriting: open, newName: newName, target: target, flags: flags)
    }

    @Test func aDraftRenamedToAPlainNameIsSent() {
        #expect(action(.draft, to: "reply.txt") == .moveAndEnqueue)
    }

    @Test func aFailedOrRefusedFileRenamedToAPlainNameIsTriedAgain() {
        #expect(action(.failed, to: "retry.txt") == .moveAndEnqueue)
        #expect(action(.refused, to: "retry.txt") == .moveAndEnqueue)
    }

    /// vim's backup of an existing file: `x` → `x~` takes a waiting message out of the queue.
    @Test func anythingRenamedToADraftNameBecomesADraft() {
        for state in [OutboxState.waiting, .draft, .failed] {
            for name in ["x~", ".x", "x.swp", "x.swx", "x.tmp", "x.part"] {
                #expect(action(state, to: name) == .move(.draft), "\(state) → \(name)")
            }
        }
    }

    @Test func aWaitingMessageRenamedToAPlainNameStaysQueued() {
        #expect(action(.waiting, to: "other.txt") == .move(.waiting))
    }

    /// Its commit comes when the last writer closes it, under the new name's rules.
    @Test func aFileOpenForWritingIsOnlyRenamed() {
        #expect(action(.writing, to: "final.txt", open: true) == .move(.writing))
        #expect(action(.draft, to: "final.txt", open: true) == .move(.writing))
        #expect(action(.writing, to: "final.txt~", open: true) == .move(.writing))
    }

    /// A crash leaves a file `writing` that nobody has open: renaming it is the user's call to send.
    @Test func aFileLeftWritingByACrashIsSentWhenRenamed() {
        #expect(action(.writing, to: "x") == .moveAndEnqueue)
        #expect(action(.writing, to: "x~") == .move(.draft))
    }

    /// Being sent, or maybe on the server already: a rename could not tell the truth.
    @Test func aFileBeingSentOrInDoubtCannotBeRenamedNorReplaced() {
        #expect(action(.sending, to: "x~") == .refuse(.busy))
        #expect(action(.waiting, to: "x~", inDoubt: true) == .refuse(.busy))
        #expect(action(.draft, to: "x", target: .busy) == .refuse(.busy))
    }

    @Test func invalidNewNamesAreRefused() {
        for name in ["x.failed", "x.refused", "", "..", String(repeating: "a", count: 256)] {
            #expect(action(.draft, to: name) == .refuse(.invalidName), "\(name)")
        }
    }

    @Test func noReplaceKeepsAnExistingTargetAndExchangeIsNotSupported() {
        #expect(action(.draft, to: "x", target: .listed, flags: RenameRule.noReplace) == .refuse(.exists))
        #expect(action(.draft, to: "x", flags: RenameRule.noReplace) == .moveAndEnqueue)
        #expect(action(.draft, to: "x", flags: 1 << 1) == .refuse(.invalidName))  // RENAME_EXCHANGE
        #expect(action(.draft, to: "x", flags: 1 << 2) == .refuse(.invalidName))  // RENAME_WHITEOUT
    }

    /// Editors' atomic save and sed -i: a temporary renamed over a waiting message replaces it.
    @Test func aRenameReplacesAListedTarget() {
        #expect(action(.draft, to: "x", target: .listed) == .moveAndEnqueue)
        #expect(action(.waiting, to: "x", target: .listed) == .move(.waiting))
    }

    /// `x.failed` is the failed item named `x`: the name `x` is taken, though not listed as such.
    @Test func theNameOfAFailedItemIsTaken() {
        #expect(action(.draft, to: "x", target: .failedTwin) == .refuse(.exists))
    }
}
