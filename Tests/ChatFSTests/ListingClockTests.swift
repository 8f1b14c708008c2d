import ChatCache
@testable import ChatFS
import CFuse
import Foundation
import Testing

/// A kept directory listing is retired by a new mtime, never by dropping its pages
/// (`ListingClock`): the stress run's repeated listings of an unchanged 10,000-message chat
/// went to the daemon every time because a dropped, half-filled cache is never refilled.
@Suite struct ListingClockTests {
    func chatMtime(_ tree: TestTree) throws -> timespec {
        guard case .attributes(let attributes, _) = Reply(try tree.filesystem.getattr(tree.chatInode)) else { throw FuseError(EIO) }
        return attributes.st_mtim
    }

    @Test func aChatsAttributesChangingLeavesItsListingAndMtimeAlone() throws {
        let tree = try TestTree(messageCount: 1)
        let before = try chatMtime(tree)
        tree.filesystem.changed(.chatChanged(rowID: tree.chat.rowID))
        let after = try chatMtime(tree)
        #expect(before.tv_sec == after.tv_sec && before.tv_nsec == after.tv_nsec)
        #expect(!Invalidation.plan(for: [.chatChanged(rowID: tree.chat.rowID)]).contains {
            if case .content = $0 { true } else { false }
        })
    }

    @Test func everyListingChangeMovesTheDirectorysMtime() throws {
        let tree = try TestTree(messageCount: 1)
        var seen = [try chatMtime(tree)]
        for sequence in 2...4 {
            tree.filesystem.changed(.messagesAdded(chatRowID: tree.chat.rowID, names: ["00000\(sequence)-alice.txt"], arrived: false))
            let mtime = try chatMtime(tree)
            #expect(!seen.contains { $0.tv_sec == mtime.tv_sec && $0.tv_nsec == mtime.tv_nsec })
            seen.append(mtime)
        }
    }

    @Test func directoriesAreInvalidatedByAttributesOnly() {
        let plan = Invalidation.plan(for: [
            .chatsChanged(added: [ChatName(rowID: 5, dirName: "New")], removed: []),
            .chatChanged(rowID: 5),
            .messagesAdded(chatRowID: 5, names: ["000001-alice.txt"], arrived: true),
            .outboxChanged(chatRowID: 5, names: ["a.txt"]),
            .mediaChanged(chatRowID: 5, names: ["a.jpg"]),
        ])
        let contents = plan.compactMap { if case .content(let inode) = $0 { inode } else { nil } }
        #expect(contents == [.transcriptFile(chatRowID: 5)])
    }

    @Test func theTimesOnlyGrowEvenWhenTheClockGoesBack() throws {
        let clock = ListingClock()
        let now = Date()
        clock.note(.messagesAdded(chatRowID: 1, names: [], arrived: true), now: now)
        clock.note(.messagesAdded(chatRowID: 1, names: [], arrived: true), now: now.addingTimeInterval(-60))
        let directory = InodeNumber.chatDirectory(chatRowID: 1)
        #expect(try #require(clock.modified(directory)) > now)
        #expect(clock.modified(.chatDirectory(chatRowID: 2)) == nil)
        #expect(ListingClock.listings(changedBy: .chatChanged(rowID: 1)) == [.unreadDirectory])
    }
}
