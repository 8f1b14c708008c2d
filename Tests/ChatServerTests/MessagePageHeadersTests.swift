import Testing

@testable import ChatServer

struct MessagePageHeadersTests {
    private func headers(
        _ mode: MessageListingMode, _ sequences: [Int64], total: Int = 100, newest: Int64? = 100
    ) -> [String: String] {
        Dictionary(
            uniqueKeysWithValues: MessagePageHeaders.make(
                mode: mode, sequences: sequences, totalCount: total, newestInChat: newest
            ).map { ($0.name, $0.value) })
    }

    @Test func offsetModeCarriesOnlyTheTotal() {
        #expect(headers(.offset(page: 1, perPage: 50), Array(51...100)) == ["X-Total-Count": "100"])
    }

    @Test func cursorModeTellsWhetherOlderMessagesExist() {
        #expect(
            headers(.cursor(before: nil, limit: 10), Array(91...100))
                == ["X-Total-Count": "100", "X-Oldest-Sequence": "91", "X-Has-More": "true"])
        #expect(headers(.cursor(before: 4, limit: 10), [1, 2, 3])["X-Has-More"] == "false")
    }

    @Test func deltaModeTellsWhetherNewerMessagesExist() {
        let full = headers(.delta(since: 10, limit: 5), [11, 12, 13, 14, 15])
        #expect(full["X-Oldest-Sequence"] == "11")
        #expect(full["X-Newest-Sequence"] == "15")
        #expect(full["X-Has-Newer"] == "true")
        #expect(headers(.delta(since: 95, limit: 5), [96, 97, 98, 99, 100])["X-Has-Newer"] == "false")
    }

    @Test func emptyPagesHaveEmptySequenceHeaders() {
        let empty = headers(.delta(since: 100, limit: 5), [])
        #expect(empty["X-Oldest-Sequence"] == "")
        #expect(empty["X-Newest-Sequence"] == "")
        #expect(empty["X-Has-More"] == "false")
        #expect(empty["X-Has-Newer"] == "false")
    }

    @Test func rangeModeComparesWithTheRangeEnd() {
        #expect(headers(.range(start: 5, end: 7), [5, 6, 7])["X-Has-Newer"] == "true")
        #expect(headers(.range(start: 101, end: 200), [], newest: 100)["X-Has-Newer"] == "false")
        #expect(headers(.range(start: 90, end: 95), [], newest: 100)["X-Has-Newer"] == "true")
    }
}
