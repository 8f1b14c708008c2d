/// How a chat's transcript (`<chat>/transcript`) is laid out: each message exactly as its
/// file reads, followed by a separator (a blank line and a rule), so that a pager shows
/// where one message ends. The rules (what it holds, why offsets never move) are in
/// docs/design.md, "Transcripts".
///
/// Offsets are counted on a per-chat counter that only grows (`chat.transcriptTotal`); the
/// file starts at the counter's value at its last restart (`chat.transcriptOrigin`). A
/// message's entry ends at its `transcriptEnd` and is `entrySize(renderedSize)` long.
public enum TranscriptFormat {
    public static let separator: [UInt8] = Array(("\n" + String(repeating: "=", count: 72) + "\n").utf8)

    public static func entrySize(renderedSize: Int) -> Int {
        renderedSize + separator.count
    }

    /// One message in a transcript: its rendered bytes (without separator) and where its
    /// entry ends on the chat's counter.
    public struct Entry: Sendable, Equatable {
        public var end: Int64
        public var rendered: [UInt8]

        public init(end: Int64, rendered: [UInt8]) {
            self.end = end
            self.rendered = rendered
        }

        var start: Int64 { end - Int64(entrySize(renderedSize: rendered.count)) }
    }

    /// The bytes of `[from, from + count)` on the counter, given the entries that end
    /// after `from`, in order. Stops at the first gap (an entry missing from `entries`),
    /// which a consistent read never has.
    public static func slice(_ entries: [Entry], from: Int64, count: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count)
        var position = from
        for entry in entries where entry.end > position {
            guard bytes.count < count, entry.start <= position else { break }
            let whole = entry.rendered + separator
            let skip = Int(position - entry.start)
            let take = min(whole.count - skip, count - bytes.count)
            bytes += whole[skip..<(skip + take)]
            position += Int64(take)
        }
        return bytes
    }
}
