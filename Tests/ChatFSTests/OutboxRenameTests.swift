import ChatCache
@testable import ChatFS
import Foundation
import Testing

/// The rename decision table: what `mv` inside outboxes does, editors' save patterns included.
@Suite struct OutboxRenameTests {
    func action(_ state: OutboxState, to newName: String, sending: Bool = false, open: Bool = false,
                target: OutboxRename.Target? = nil, flags: UInt32 = 0) -> OutboxRename.Action {
        OutboxRename.action(state: state, isSending: sending, isOpenForWriting: open, newName: newName, target: target, flags: flags)
    }

    @Test func aDraftRenamedToAPlainNameIsSent() {
        #expect(action(.draft, to: "reply.txt") == .moveAndEnqueue)
    }

    @Test func aFailedItemRenamedToAPlainNameIsRetried() {
        #expect(action(.failed, to: "retry.txt") == .moveAndEnqueue)
    }

    /// vim's backup of an existing file: `x` → `x~` takes a queued message out of the queue.
    @Test func anythingRenamedToADraftNameBecomesADraft() {
        for state in [OutboxState.pending, .draft, .failed] {
            for name in ["x~", ".x", "x.swp", "x.swx", "x.tmp", "x.part"] {
                #expect(action(state, to: name) == .move(.draft), "\(state) → \(name)")
            }
        }
    }

    @Test func aQueuedMessageRenamedToAPlainNameStaysQueued() {
        #expect(action(.pending, to: "other.txt") == .move(.pending))
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

    @Test func aFileBeingSentCannotBeRenamedNorReplaced() {
        #expect(action(.pending, to: "x~", sending: true) == .refuse(EBUSY))
        #expect(action(.draft, to: "x", target: .listed(isSending: true)) == .refuse(EBUSY))
    }

    @Test func invalidNewNamesAreRefused() {
        for name in ["x.failed", "", "..", String(repeating: "a", count: 256)] {
            #expect(action(.draft, to: name) == .refuse(EINVAL), "\(name)")
        }
    }

    @Test func noReplaceKeepsAnExistingTargetAndExchangeIsNotSupported() {
        #expect(action(.draft, to: "x", target: .listed(isSending: false), flags: OutboxRename.noReplace) == .refuse(EEXIST))
        #expect(action(.draft, to: "x", flags: OutboxRename.noReplace) == .moveAndEnqueue)
        #expect(action(.draft, to: "x", flags: OutboxRename.exchange) == .refuse(EINVAL))
        #expect(action(.draft, to: "x", flags: 1 << 2) == .refuse(EINVAL))  // RENAME_WHITEOUT
    }

    /// Editors' atomic save: write `.x.tmp`, rename it over `x`.
    @Test func aRenameReplacesAListedTarget() {
        #expect(action(.draft, to: "x", target: .listed(isSending: false)) == .moveAndEnqueue)
    }

    /// `x.failed` is the failed item named `x`: the name `x` is taken, though not listed as such.
    @Test func theNameOfAFailedItemIsTaken() {
        #expect(action(.draft, to: "x", target: .failedTwin) == .refuse(EEXIST))
    }
}
