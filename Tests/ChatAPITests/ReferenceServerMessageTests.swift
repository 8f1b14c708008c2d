import ChatAPI
import Foundation
import Testing
import TestSupport

extension ReferenceServerTests {
    /// Every `MessageQuery` mode and its page headers, on a chat of exactly 10 messages.
    @Suite struct Messages {
        static func sequences(_ page: MessagePage) -> [Int] { page.messages.map(\.sequenceNumber) }

        @Test(arguments: ReferenceServerTests.generations)
        func cursorModesPageBackwardsInBothGenerations(_ generation: ServerGeneration) throws {
            let server = try server(generation)
            let chatID = try makeChat(on: server, count: 10)
            let client = try client(server)

            let newest = try client.messages(chatID: chatID, .newest(limit: 3))
            #expect(Self.sequences(newest) == [8, 9, 10])
            #expect(newest.messages.last?.text == "message 10")
            #expect(newest.totalCount == 10)
            #expect(newest.oldestSequence == 8)
            #expect(newest.hasMore == true)
            #expect(newest.newestSequence == nil)
            #expect(newest.hasNewer == nil)

            let older = try client.messages(chatID: chatID, .before(sequence: 8, limit: 3))
            #expect(Self.sequences(older) == [5, 6, 7])
            #expect(older.hasMore == true)

            let oldest = try client.messages(chatID: chatID, .before(sequence: 3, limit: 5))
            #expect(Self.sequences(oldest) == [1, 2])
            #expect(oldest.messages.first?.text == "Test chat")
            #expect(oldest.hasMore == false)
        }

        @Test func deltaAndRangeModesOnADeltaServer() throws {
            let server = try server(.delta)
            let chatID = try makeChat(on: server, count: 10)
            let client = try client(server)

            let delta = try client.messages(chatID: chatID, .since(sequence: 4, limit: 3))
            #expect(Self.sequences(delta) == [5, 6, 7])
            #expect(delta.newestSequence == 7)
            #expect(delta.hasNewer == true)
            #expect(delta.oldestSequence == 5)
            #expect(delta.totalCount == 10)

            let rest = try client.messages(chatID: chatID, .since(sequence: 7, limit: 100))
            #expect(Self.sequences(rest) == [8, 9, 10])
            #expect(rest.hasNewer == false)

            let nothingNew = try client.messages(chatID: chatID, .since(sequence: 10, limit: 100))
            #expect(nothingNew.messages.isEmpty)
            #expect(nothingNew.newestSequence == nil)
            #expect(nothingNew.oldestSequence == nil)
            #expect(nothingNew.hasNewer == false)

            let range = try client.messages(chatID: chatID, .range(from: 3, through: 5))
            #expect(Self.sequences(range) == [3, 4, 5])
            #expect(range.newestSequence == 5)
            #expect(range.hasNewer == true)
        }

        @Test func aLegacyServerIgnoresDeltaAndRangeParameters() throws {
            let server = try server(.legacy)
            let chatID = try makeChat(on: server, count: 10)
            let client = try client(server)

            // since_sequence is ignored: what is left is cursor mode, the newest `limit`.
            let delta = try client.messages(chatID: chatID, .since(sequence: 4, limit: 3))
            #expect(Self.sequences(delta) == [8, 9, 10])
            #expect(delta.newestSequence == nil)
            #expect(delta.hasNewer == nil)

            // Without limit, start/end are ignored too: offset page 1, X-Total-Count only.
            let range = try client.messages(chatID: chatID, .range(from: 3, through: 5))
            #expect(Self.sequences(range) == Array(1...10))
            #expect(range.totalCount == 10)
            #expect(range.oldestSequence == nil)
            #expect(range.hasMore == nil)
        }

        @Test(arguments: ReferenceServerTests.generations)
        func detectsTheGeneration(_ generation: ServerGeneration) throws {
            let server = try server(generation)
            let chatID = try makeChat(on: server, count: 2)
            #expect(try client(server).detectGeneration(probeChatID: chatID) == generation)
        }

        @Test func showsTextUnescapedAndTheTitleRaw() throws {
            let server = try server(.delta)
            let chatID = try server.createChat(title: "Tags <b> & \"quotes\"")
            try #require(try server.post(chatID: chatID, sender: "bob", content: "if a < b && c > d") == 201)
            let page = try client(server).messages(chatID: chatID, .newest(limit: 10))
            #expect(page.messages.map(\.text) == ["Tags <b> & \"quotes\"", "if a < b && c > d"])
            #expect(page.messages.last?.content == "if a &lt; b &amp;&amp; c &gt; d")
        }
    }
}
