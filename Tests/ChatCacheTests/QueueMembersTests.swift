import ChatCache
import Foundation
import Testing

@Suite struct QueueMembersTests {
    /// A queue lists its members in the server's order, each a whole chat record.
    @Test func membersComeInTheViewsOrderAsWholeRecords() throws {
        let cache = try makeCache()
        _ = try cache.applyChatList([entry("a", "Alpha", created: 1), entry("b", "Beta", created: 2), entry("c", "Gamma", created: 3)])
        _ = try cache.applyQueues(counts: ["unassigned": 3, "mine": 0], members: ["unassigned": ["c", "a", "b"], "mine": []])

        let members = try cache.queueMembers("unassigned")
        #expect(members.map(\.id) == ["c", "a", "b"])
        #expect(members.map(\.title) == ["Gamma", "Alpha", "Beta"])
        #expect(members == (try ["c", "a", "b"].map { try #require(try cache.chat(id: $0)) }))
        #expect(try cache.queueMembers("mine").isEmpty)
    }
}
