import ChatAPI
import Foundation
import Testing
import TestSupport

extension ReferenceServerTests {
    @Suite struct Sending {
        @Test func aDeltaServerAnswersARepeatedClientTempIDWithTheOriginal() throws {
            let server = try server(.delta)
            let chatID = try makeChat(on: server, count: 3)
            let client = try client(server)
            let message = OutgoingMessage(chatID: chatID, content: "  retry me  ", clientTempID: "outbox-1")

            let first = try client.send(message)
            let second = try client.send(message)
            #expect(first.sequenceNumber == 4)
            #expect(first.text == "retry me")
            #expect(first.clientTempId == "outbox-1")
            #expect(second.id == first.id)
            #expect(second.sequenceNumber == first.sequenceNumber)

            let page = try client.messages(chatID: chatID, .since(sequence: 3, limit: 10))
            #expect(page.messages.map(\.id) == [first.id])
            #expect(page.messages.first?.clientTempId == "outbox-1")
        }

        @Test func aLegacyServerStoresEveryRepeatedSend() throws {
            let server = try server(.legacy)
            let chatID = try makeChat(on: server, count: 3)
            let client = try client(server)
            let message = OutgoingMessage(chatID: chatID, content: "sent twice", clientTempID: "outbox-1")

            let first = try client.send(message)
            let second = try client.send(message)
            #expect(first.sequenceNumber == 4)
            #expect(second.sequenceNumber == 5)
            #expect(first.id != second.id)
            let page = try client.messages(chatID: chatID, .newest(limit: 10))
            #expect(page.messages.suffix(2).map(\.text) == ["sent twice", "sent twice"])
        }

        @Test(arguments: ReferenceServerTests.generations)
        func aSolvedChatRefusesMessagesPermanently(_ generation: ServerGeneration) throws {
            let server = try server(generation)
            let chatID = try makeChat(on: server, count: 2)
            try #require(try server.request("POST", "/_test/chats/\(chatID)/close").status == 200)
            #expect(throws: APIError.permanent(status: 400, detail: "Cannot send message to a closed/solved task")) {
                try client(server).send(OutgoingMessage(chatID: chatID, content: "too late"))
            }
        }
    }
}
