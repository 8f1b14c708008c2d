@testable import ChatFS
import Testing

@Suite struct DirectoryCookieTests {
    /// A chat directory: ".", "..", "media", "outbox", then messages by sequence.
    let chat = DirectoryCookie(fixedEntryCount: 4)

    @Test func aNewListingStartsWithTheFirstFixedEntry() {
        #expect(chat.position(resumingAt: 0) == .fixedEntry(index: 0))
    }

    @Test func resumingAfterEachFixedEntryGivesTheNextOne() {
        for index in 0..<3 {
            #expect(chat.position(resumingAt: chat.offset(afterFixedEntry: index)) == .fixedEntry(index: index + 1))
        }
        // After the last fixed entry: every message.
        #expect(chat.position(resumingAt: chat.offset(afterFixedEntry: 3)) == .keyedEntries(afterKey: 0))
    }

    @Test func resumingAfterAMessageContinuesAfterItsSequence() throws {
        for sequence in [1, 2, 137, 9_999, 10_000] {
            let offset = try #require(chat.offset(afterKey: sequence))
            #expect(chat.position(resumingAt: offset) == .keyedEntries(afterKey: sequence))
        }
    }

    @Test func offsetsGrowWithTheListing() throws {
        let offsets = [chat.offset(afterFixedEntry: 0), chat.offset(afterFixedEntry: 3),
                       try #require(chat.offset(afterKey: 1)), try #require(chat.offset(afterKey: 2))]
        #expect(offsets == offsets.sorted())
        #expect(Set(offsets).count == offsets.count)
    }

    @Test func keysThatCannotBeOffsetsAreRefused() {
        #expect(chat.offset(afterKey: 0) == nil)
        #expect(chat.offset(afterKey: -5) == nil)
        #expect(chat.offset(afterKey: Int.max) == nil)
    }

    @Test func aNegativeOffsetRestartsTheListing() {
        #expect(chat.position(resumingAt: -1) == .fixedEntry(index: 0))
    }
}
