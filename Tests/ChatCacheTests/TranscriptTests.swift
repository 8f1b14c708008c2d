import ChatCache
import Foundation
import Testing

/// `<chat>/transcript`: offsets never move, the bytes are the message files' bytes.
@Suite struct TranscriptTests {
    func transcriptEntry(_ text: String, end: Int64) -> TranscriptFormat.Entry {
        TranscriptFormat.Entry(end: end, rendered: Array(text.utf8))
    }

    @Test func aSliceStartsAndEndsInsideEntries() {
        let separator = TranscriptFormat.separator
        let first = Array("one\n".utf8) + separator
        let second = Array("two two\n".utf8) + separator
        // The first entry starts at 100 on the chat's counter (an earlier restart).
        let entries = [transcriptEntry("one\n", end: 100 + Int64(first.count)),
                       transcriptEntry("two two\n", end: 100 + Int64(first.count + second.count))]
        let whole = first + second
        #expect(TranscriptFormat.slice(entries, from: 100, count: 1 << 16) == whole)
        #expect(TranscriptFormat.slice(entries, from: 102, count: 5) == Array(whole[2..<7]))
        let intoSecond = Int64(first.count + 3)
        #expect(TranscriptFormat.slice(Array(entries.dropFirst()), from: 100 + intoSecond, count: 4)
                == Array(whole[Int(intoSecond)..<Int(intoSecond) + 4]))
        #expect(TranscriptFormat.slice(entries, from: 100 + Int64(whole.count), count: 10).isEmpty)
    }

    @Test func aSliceStopsAtAMissingEntry() {
        let size = Int64(TranscriptFormat.entrySize(renderedSize: 4))
        // The entry ending at `size` is missing: nothing is made up for it.
        #expect(TranscriptFormat.slice([transcriptEntry("two\n", end: 2 * size)], from: 0, count: 100).isEmpty)
    }

    func chatWithMessages(_ sequences: [Int]) throws -> (ChatCache, Int64) {
        let cache = try makeCache()
        try cache.applyChatList([entry("c", "Chat", created: 1, lastSequence: 1000)])
        let chat = try #require(try cache.chat(id: "c"))
        if !sequences.isEmpty { try cache.storeMessages(sequences.map { message($0, text: "text \($0)") }, chatRowID: chat.rowID) }
        return (cache, chat.rowID)
    }

    func transcript(_ cache: ChatCache, _ chatRowID: Int64) throws -> String {
        String(decoding: try cache.transcriptBytes(chatRowID: chatRowID, offset: 0, count: 1 << 24), as: UTF8.self)
    }

    func files(_ cache: ChatCache, _ chatRowID: Int64, _ sequences: ClosedRange<Int>) throws -> String {
        try sequences.map { sequence in
            let message = try #require(try cache.message(chatRowID: chatRowID, sequence: sequence))
            return String(decoding: message.renderedBytes() + TranscriptFormat.separator, as: UTF8.self)
        }.joined()
    }

    @Test func theTranscriptIsTheMessageFilesInOrderWithItsExactSize() throws {
        let (cache, chatRowID) = try chatWithMessages(Array(1...30))
        try cache.storeMessages([message(31, text: "newer")], chatRowID: chatRowID)
        let expected = try files(cache, chatRowID, 1...31)
        #expect(try transcript(cache, chatRowID) == expected)
        #expect(try #require(try cache.chat(rowID: chatRowID)).transcriptSize == Int64(expected.utf8.count))
    }

    @Test func everyOffsetReadsTheSameBytesInAnyChunking() throws {
        let (cache, chatRowID) = try chatWithMessages(Array(1...200))
        let whole = try cache.transcriptBytes(chatRowID: chatRowID, offset: 0, count: 1 << 24)
        #expect(whole.count > 100 * 64)  // more than one page of rows per read
        for chunk in [1, 7, 4096, 131_072] {
            var read: [UInt8] = []
            while case let bytes = try cache.transcriptBytes(chatRowID: chatRowID, offset: Int64(read.count), count: chunk),
                  !bytes.isEmpty {
                read += bytes
            }
            #expect(read == whole, "chunks of \(chunk)")
        }
    }

    /// Older history stored after the transcript began is left out: offsets never move.
    @Test func backfilledHistoryIsLeftOutAndNewerMessagesAppend() throws {
        let (cache, chatRowID) = try chatWithMessages(Array(51...60))
        let before = try transcript(cache, chatRowID)
        try cache.storeMessages((41...50).map { message($0) }, chatRowID: chatRowID)
        #expect(try transcript(cache, chatRowID) == before)
        try cache.storeMessages([message(61), message(62)], chatRowID: chatRowID)
        #expect(try transcript(cache, chatRowID) == before + (try files(cache, chatRowID, 61...62)))
    }

    /// A message of the transcript gone (eviction, cache clear) or rewritten restarts it
    /// empty (`tail -f` reports a truncation); only newer messages go in after.
    @Test(arguments: [false, true])
    func aRemovedOrRewrittenMessageRestartsTheTranscriptEmpty(rewrite: Bool) throws {
        let (cache, chatRowID) = try chatWithMessages(Array(1...10))
        if rewrite {
            try cache.storeMessages([message(5, text: "edited on the server")], chatRowID: chatRowID)
        } else {
            _ = try cache.clear(ClearRange())
            try cache.storeMessages((1...10).map { message($0, text: "text \($0)") }, chatRowID: chatRowID)
        }
        #expect(try transcript(cache, chatRowID).isEmpty)
        #expect(try #require(try cache.chat(rowID: chatRowID)).transcriptSize == 0)
        try cache.storeMessages([message(11, text: "after")], chatRowID: chatRowID)
        #expect(try transcript(cache, chatRowID) == (try files(cache, chatRowID, 11...11)))
    }

    /// A resync (sync from scratch) keeps the transcript's messages: it neither restarts
    /// nor repeats, and what came meanwhile is appended.
    @Test func aResyncKeepsTheTranscript() throws {
        let (cache, chatRowID) = try chatWithMessages(Array(1...10))
        let before = try transcript(cache, chatRowID)
        _ = try cache.replaceMessages(with: (3...12).map { message($0, text: "text \($0)") }, chatRowID: chatRowID,
                                      keepingTranscript: true)
        #expect(try transcript(cache, chatRowID) == before + (try files(cache, chatRowID, 11...12)))
    }
}
