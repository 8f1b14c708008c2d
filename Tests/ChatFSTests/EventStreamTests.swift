import ChatCache
@testable import ChatFS
import Foundation
import Testing

/// `.chatfs/events` without a kernel: the bounded queue, the lines, the readers.
@Suite struct EventStreamTests {
    func line(_ text: String) -> [UInt8] { Array((text + "\n").utf8) }

    @Test func readsTakeBytesInOrderAcrossLineEnds() {
        var queue = EventQueue(capacity: 1000)
        queue.append(line("first"))
        queue.append(line("second"))
        #expect(queue.take(upTo: 3) == Array("fir".utf8))
        #expect(queue.take(upTo: 100) == Array("st\nsecond\n".utf8))
        #expect(queue.isEmpty)
        #expect(queue.take(upTo: 100).isEmpty)
    }

    /// A reader that does not read holds at most `capacity` bytes; it learns how many lines
    /// it lost, where they were lost, once it reads again.
    @Test func aFullQueueDropsLinesAndSaysHowMany() {
        var queue = EventQueue(capacity: 64)
        let lines = (0..<10).map { line("event \($0) " + String(repeating: ".", count: 11)) }  // 20 bytes each
        for line in lines { queue.append(line) }
        #expect(queue.count == 60)
        #expect(queue.dropped == 7)
        #expect(queue.take(upTo: 1000) == Array(lines[0..<3].joined()))
        #expect(queue.take(upTo: 1000) == EventQueue.overflowLine(dropped: 7))
        #expect(String(decoding: EventQueue.overflowLine(dropped: 7), as: UTF8.self) == "{\"dropped\":7,\"event\":\"overflow\"}\n")
        queue.append(lines[9])
        #expect(queue.take(upTo: 1000) == lines[9])
        #expect(queue.dropped == 0)
    }

    @Test func everyReaderGetsEveryLineFromItsOpenOn() {
        let stream = EventStream()
        let early = stream.open()
        stream.publish([line("one")])
        let late = stream.open()
        stream.publish([line("two")])
        #expect(Reply(stream.read(placeholderRequest, handle: early, size: 100)).bytes == Array("one\ntwo\n".utf8))
        #expect(Reply(stream.read(placeholderRequest, handle: late, size: 100)).bytes == Array("two\n".utf8))
        stream.close(early)
        stream.close(late)
        #expect(!stream.hasReaders)
    }

    @Test func pollReportsQueuedData() {
        let stream = EventStream()
        let reader = stream.open()
        defer { stream.close(reader) }
        guard case .poll(let idle) = Reply(stream.poll(handle: reader, keeping: nil)) else { Issue.record(); return }
        #expect(idle == 0)
        stream.publish([line("one")])
        guard case .poll(let ready) = Reply(stream.poll(handle: reader, keeping: nil)) else { Issue.record(); return }
        #expect(ready & UInt32(POLLIN) != 0)
    }

    func lines(_ event: ChangeEvent) throws -> [String] {
        let chats: [Int64: (dirName: String, id: String)] = [3: ("VPN", "uuid-3"), 5: ("New title", "uuid-5")]
        return try EventLine.lines(for: event) { chats[$0] }.map { String(decoding: try $0.encoded(), as: UTF8.self) }
    }

    @Test func newMessagesAreLinesButHistoryIsNot() throws {
        #expect(try lines(.messagesAdded(chatRowID: 3, names: ["000041-bob.txt", "000042-alice-b.txt"], arrived: true)) == [
            #"{"chat":"VPN","chat_id":"uuid-3","event":"message","path":"VPN/000041-bob.txt","sender":"bob","sequence":41}"# + "\n",
            #"{"chat":"VPN","chat_id":"uuid-3","event":"message","path":"VPN/000042-alice-b.txt","sender":"alice-b","sequence":42}"# + "\n",
        ])
        #expect(try lines(.messagesAdded(chatRowID: 3, names: ["000001-bob.txt"], arrived: false)).isEmpty)
        #expect(try lines(.statusChanged).isEmpty)
    }

    @Test func chatsAddedRenamedAndRemovedAreTold() throws {
        #expect(try lines(.chatsChanged(added: [ChatName(rowID: 5, dirName: "New title")],
                                        removed: [ChatName(rowID: 5, dirName: "Old title"), ChatName(rowID: 8, dirName: "Gone")])) == [
            #"{"chat":"Gone","event":"chat_removed"}"# + "\n",
            #"{"chat":"New title","chat_id":"uuid-5","event":"chat_renamed","old":"Old title","path":"New title"}"# + "\n",
        ])
    }

    @Test func sendOutcomesAreTold() throws {
        #expect(try lines(.outboxOutcome(OutboxOutcome(chatID: "uuid-3", chatRowID: 3, name: "hi.txt", result: .sent(sequence: 43)))) == [
            #"{"chat":"VPN","chat_id":"uuid-3","event":"sent","file":"hi.txt","sequence":43}"# + "\n",
        ])
        #expect(try lines(.outboxOutcome(OutboxOutcome(chatID: "uuid-3", chatRowID: 3, name: "x.txt", result: .refused(reason: "empty")))) == [
            #"{"chat":"VPN","chat_id":"uuid-3","event":"refused","file":"x.txt","path":"VPN/outbox/x.txt.refused","reason":"empty"}"# + "\n",
        ])
    }
}
