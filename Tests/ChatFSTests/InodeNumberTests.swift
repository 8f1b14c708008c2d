@testable import ChatFS
import Testing

@Suite struct InodeNumberTests {
    static let everyKind: [InodeNumber] = [
        .root, .controlDirectory, .statusFile(.text), .statusFile(.json),
        .chatDirectory(chatRowID: 7), .mediaDirectory(chatRowID: 7), .outboxDirectory(chatRowID: 7),
        .messageFile(messageRowID: 7), .outboxFile(outboxRowID: 7), .mediaFile(mediaRowID: 7),
        .queuesDirectory, .queueDirectory(index: 0), .queueDirectory(index: 12), .queueEntry(index: 3, chatRowID: 7),
        .queueEntry(index: 12, chatRowID: 7),
        .searchDirectory, .unreadDirectory, .mediaRoot, .searchQueryDirectory(queryID: 7),
        .searchResult(queryID: 7, messageRowID: 7), .searchResult(queryID: 65_535, messageRowID: (1 << 40) - 1),
        .unreadEntry(chatRowID: 7), .mediaLink(chatRowID: 7),
        .eventsFile, .transcriptsDirectory, .transcriptFile(chatRowID: 7), .transcriptLink(chatRowID: 7),
    ]

    @Test func everyKindRoundTrips() throws {
        for inode in Self.everyKind {
            let raw = try #require(inode.rawValue)
            #expect(InodeNumber(rawValue: raw) == inode)
        }
    }

    @Test func kindsWithTheSameRowIDGetDifferentNumbers() {
        let numbers = Self.everyKind.compactMap(\.rawValue)
        #expect(numbers.count == Self.everyKind.count)
        #expect(Set(numbers).count == numbers.count)
    }

    /// Users see these numbers (`ls -i`, `find -inum`); they must survive remounts and
    /// upgrades, so the layout is pinned here. (The expected values are typed: an optional
    /// compared with an untyped `1 << 56 | 42` makes Swift 6.3 emit a thunk that reads 9
    /// bytes of an 8-byte value, which AddressSanitizer reports: swiftlang/swift#92469;
    /// RELIABILITY.md, "Sanitizers".)
    @Test func numbersAreStable() {
        #expect(InodeNumber.root.rawValue == 1)  // FUSE_ROOT_ID
        #expect(InodeNumber.controlDirectory.rawValue == 2)
        #expect(InodeNumber.statusFile(.text).rawValue == 3)
        #expect(InodeNumber.statusFile(.json).rawValue == 4)
        #expect(InodeNumber.chatDirectory(chatRowID: 42).rawValue == UInt64(1 << 56 | 42))
        #expect(InodeNumber.mediaDirectory(chatRowID: 42).rawValue == UInt64(2 << 56 | 42))
        #expect(InodeNumber.outboxDirectory(chatRowID: 42).rawValue == UInt64(3 << 56 | 42))
        #expect(InodeNumber.messageFile(messageRowID: 42).rawValue == UInt64(4 << 56 | 42))
        #expect(InodeNumber.outboxFile(outboxRowID: 42).rawValue == UInt64(5 << 56 | 42))
        #expect(InodeNumber.mediaFile(mediaRowID: 42).rawValue == UInt64(6 << 56 | 42))
        #expect(InodeNumber.queuesDirectory.rawValue == 5)
        #expect(InodeNumber.eventsFile.rawValue == 6)
        #expect(InodeNumber.transcriptsDirectory.rawValue == 7)
        #expect(InodeNumber.transcriptFile(chatRowID: 42).rawValue == UInt64(9 << 56 | 42))
        #expect(InodeNumber.transcriptLink(chatRowID: 42).rawValue == UInt64(10 << 56 | 42))
        #expect(InodeNumber.queueDirectory(index: 0).rawValue == UInt64(7 << 56 | 1))
        #expect(InodeNumber.queueEntry(index: 3, chatRowID: 42).rawValue == UInt64(8 << 56 | 42 << 4 | 3))
        #expect(InodeNumber.searchDirectory.rawValue == 8)
        #expect(InodeNumber.unreadDirectory.rawValue == 9)
        #expect(InodeNumber.mediaRoot.rawValue == 10)
        #expect(InodeNumber.searchQueryDirectory(queryID: 3).rawValue == UInt64(11 << 56 | 3))
        #expect(InodeNumber.searchResult(queryID: 3, messageRowID: 42).rawValue == UInt64(12 << 56 | 3 << 40 | 42))
        #expect(InodeNumber.unreadEntry(chatRowID: 42).rawValue == UInt64(13 << 56 | 42))
        #expect(InodeNumber.mediaLink(chatRowID: 42).rawValue == UInt64(14 << 56 | 42))
    }

    @Test func largestRowIDRoundTripsAndOneMoreIsRefused() throws {
        let largest = InodeNumber.messageFile(messageRowID: InodeNumber.maximumRowID)
        #expect(InodeNumber(rawValue: try #require(largest.rawValue)) == largest)
        // One more would spill into the kind bits and alias another node.
        #expect(InodeNumber.messageFile(messageRowID: InodeNumber.maximumRowID + 1).rawValue == nil)
        #expect(InodeNumber.chatDirectory(chatRowID: 0).rawValue == nil)
        #expect(InodeNumber.chatDirectory(chatRowID: -1).rawValue == nil)
    }

    @Test func numbersWeNeverHandOutAreRejected() {
        #expect(InodeNumber(rawValue: 0) == nil)
        #expect(InodeNumber(rawValue: 11) == nil)             // unused fixed number
        #expect(InodeNumber.searchResult(queryID: 1, messageRowID: 1 << 40).rawValue == nil)  // 40 bits
        #expect(InodeNumber.searchResult(queryID: 1 << 16, messageRowID: 1).rawValue == nil)  // 16 bits
        #expect(InodeNumber(rawValue: 12 << 56 | 42) == nil)  // a search result without a query id
        #expect(InodeNumber(rawValue: 1 << 56) == nil)        // chat kind, row id 0
        #expect(InodeNumber(rawValue: 50 << 56 | 1) == nil)   // unknown kind
        #expect(InodeNumber.queueEntry(index: 16, chatRowID: 1).rawValue == nil)  // the index has 4 bits
        #expect(InodeNumber(rawValue: UInt64.max) == nil)
    }
}
