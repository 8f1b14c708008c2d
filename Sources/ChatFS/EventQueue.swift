/// One reader's pending bytes of `.chatfs/events`: whole JSON lines, bounded. When a line
/// does not fit, it is dropped and counted; once there is room again, the reader gets an
/// `{"event":"overflow","dropped":N}` line where the lost ones were (README "Events").
struct EventQueue {
    /// The most bytes a reader that does not read may hold.
    static let defaultCapacity = 1 << 20

    let capacity: Int
    private var buffer: [UInt8] = []
    /// Where the unread bytes start in `buffer` (compacted once half of it is read).
    private var head = 0
    /// Lines dropped since the last overflow line.
    private(set) var dropped = 0

    init(capacity: Int = Self.defaultCapacity) {
        self.capacity = capacity
    }

    var count: Int { buffer.count - head }
    var isEmpty: Bool { count == 0 }

    /// Queues one line (ending with a newline), or counts it as dropped.
    mutating func append(_ line: [UInt8]) {
        noteOverflowIfRoom(before: line.count)
        guard dropped == 0, count + line.count <= capacity else {
            dropped += 1
            return
        }
        buffer += line
    }

    /// Takes up to `size` bytes (a read may end inside a line; the next one continues it).
    mutating func take(upTo size: Int) -> [UInt8] {
        let taken = Array(buffer[head..<(head + min(size, count))])
        head += taken.count
        if head == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            head = 0
        } else if head > buffer.count / 2 {
            buffer.removeFirst(head)
            head = 0
        }
        noteOverflowIfRoom(before: 0)
        return taken
    }

    static func overflowLine(dropped: Int) -> [UInt8] {
        Array("{\"dropped\":\(dropped),\"event\":\"overflow\"}\n".utf8)
    }

    private mutating func noteOverflowIfRoom(before next: Int) {
        guard dropped > 0 else { return }
        let note = Self.overflowLine(dropped: dropped)
        guard count + note.count + next <= capacity else { return }
        buffer += note
        dropped = 0
    }
}
