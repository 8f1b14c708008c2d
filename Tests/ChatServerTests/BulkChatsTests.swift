import Foundation
import TestSupport
import Testing

/// `POST /_test/bulk-chats`: the benchmark's data set in one call (docs/api.md, `/_test`).
@Suite(.serialized)
struct BulkChatsTests {
    @Test func createsWholeChatsInOneCall() throws {
        try withServerProcess { server in
            let body = #"{"requester": "alice", "replier": "bob", "chats": [{"title": "Bulk A", "messages": 1}, {"title": "Bulk B", "messages": 1200}]}"#
            let answer = try server.request("POST", "/_test/bulk-chats", json: body)
            try #require(answer.status == 201, "\(answer)")
            let ids = try #require(
                (try JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [String: Any])?["ids"] as? [String])
            #expect(ids.count == 2)
            let listed = try server.chats().filter { ids.contains($0.id) }
            #expect(Set(listed.map(\.title)) == ["Bulk A", "Bulk B"])
            #expect(Set(listed.map(\.lastSequence)) == [1, 1200])
            let newest = try server.messages(chatID: ids[1])
            #expect(newest.compactMap { $0["sequenceNumber"] as? Int } == Array(1001...1200))
            #expect(Set(newest.compactMap { ($0["sender"] as? [String: Any])?["username"] as? String }) == ["alice", "bob"])
            let texts = newest.compactMap { $0["content"] as? String }
            #expect(texts.last?.hasSuffix("(#1200)") == true)
        }
    }

    @Test func refusesIncompleteOrOversizedRequests() throws {
        try withServerProcess { server in
            func status(_ body: String) throws -> Int { try server.request("POST", "/_test/bulk-chats", json: body).status }
            let missingChats = try status(#"{"requester": "alice"}"#)
            let empty = try status(#"{"requester": "alice", "chats": [{"title": "x", "messages": 0}]}"#)
            let tooMany = try status(#"{"requester": "alice", "chats": [{"title": "x", "messages": 2000000}]}"#)
            let unknown = try status(#"{"requester": "nobody", "chats": []}"#)
            #expect([missingChats, empty, tooMany, unknown] == [Int]([422, 400, 400, 404]))
        }
    }
}
