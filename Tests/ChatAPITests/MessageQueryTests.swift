import Foundation
import Testing
@testable import ChatAPI

@Suite struct MessageQueryTests {
    func names(_ query: MessageQuery) -> String {
        query.parameters.map { "\($0.name)=\($0.value)" }.joined(separator: "&")
    }

    @Test func sendsSnakeCaseParametersAndAlwaysLimitWithBefore() {
        #expect(names(.newest(limit: 50)) == "limit=50")
        #expect(names(.before(sequence: 120, limit: 100)) == "before_sequence=120&limit=100")
        #expect(names(.since(sequence: 7, limit: 500)) == "since_sequence=7&limit=500")
        #expect(names(.range(from: 3, through: 9)) == "start_sequence=3&end_sequence=9")
    }

    @Test func readsThePagingHeadersAndSortsAscending() throws {
        let json = """
            [{"id": "b", "requestId": "r", "content": "2", "sequenceNumber": 9, "createdAt": "2026-02-10T08:15:42Z"},
             {"id": "a", "requestId": "r", "content": "1", "sequenceNumber": 8, "createdAt": "2026-02-10T08:15:42Z"}]
            """
        let messages = try WireJSON.decoder().decode([ChatMessage].self, from: Data(json.utf8))
        let response = HTTPResponse(status: 200, headers: [
            "x-total-count": "40", "x-oldest-sequence": "8", "x-has-more": "true",
            "x-newest-sequence": "9", "x-has-newer": "false",
        ], body: Data())
        let page = MessagePage(messages: messages, headers: response)
        #expect(page.messages.map(\.sequenceNumber) == [8, 9])
        #expect(page.totalCount == 40)
        #expect(page.oldestSequence == 8)
        #expect(page.hasMore == true)
        #expect(page.newestSequence == 9)
        #expect(page.hasNewer == false)
    }

    @Test func emptyOrMissingHeadersAreNil() {
        let response = HTTPResponse(status: 200, headers: ["x-total-count": "0", "x-oldest-sequence": "",
                                                           "x-has-more": "maybe"], body: Data())
        let page = MessagePage(messages: [], headers: response)
        #expect(page.totalCount == 0)
        #expect(page.oldestSequence == nil)
        #expect(page.hasMore == nil)
        #expect(page.newestSequence == nil)
    }
}
