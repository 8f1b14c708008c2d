import CFuse
import Foundation
import Locking

/// `.chatfs/events`: every opener gets its own `EventReader`, whose queue starts at open;
/// what is published goes to every reader. Nothing is kept for a closed reader, and
/// nothing at all is formatted while nobody reads (README "Events").
///
/// Lock order: `readers`, then a reader's own lock (see `EventReader`).
final class EventStream: Sendable {
    private struct Table {
        var readers: [UInt64: EventReader] = [:]
        var lastHandle: UInt64 = 0
        /// The mount is ending: opens get a reader that is already closed.
        var finished = false
    }

    private let table = Locked(Table())
    private let capacity: Int

    init(capacity: Int = EventQueue.defaultCapacity) {
        self.capacity = capacity
    }

    var hasReaders: Bool { table.withLock { !$0.readers.isEmpty } }

    /// A new reader; its handle is the `fh` of the open file.
    func open() -> UInt64 {
        let reader = EventReader(capacity: capacity)
        let (handle, finished) = table.withLock { table in
            table.lastHandle += 1
            table.readers[table.lastHandle] = reader
            return (table.lastHandle, table.finished)
        }
        if finished { reader.close().send() }
        return handle
    }

    func close(_ handle: UInt64) {
        table.withLock { $0.readers.removeValue(forKey: handle) }?.close().send()
    }

    /// Answers at once when the reader has data; else parks the request, to be answered by
    /// `publish`, by an interrupt (EINTR) or by `finish` (0 bytes).
    func read(_ request: fuse_req_t, handle: UInt64, size: Int) -> FuseReply {
        guard let reader = reader(handle) else { return .error(EBADF) }
        if let bytes = reader.takeAtOnce(upTo: size) { return .bytes(bytes) }
        // The handle, not the reader, travels as the function's data: a late interrupt
        // finds nothing once the reader is gone.
        fuse_req_interrupt_func(request, { request, data in
            guard let request, let data = UInt64(exactly: UInt(bitPattern: data)) else { return }
            let filesystem = Unmanaged<ChatFilesystem>.fromOpaque(fuse_req_userdata(request)).takeUnretainedValue()
            filesystem.events.interrupted(request, handle: data)
        }, UnsafeMutableRawPointer(bitPattern: UInt(handle)))
        return reader.park(EventReader.ParkedRead(request: request, size: size))
    }

    func poll(handle: UInt64, keeping pollHandle: OpaquePointer?) -> FuseReply {
        guard let reader = reader(handle) else {
            if let pollHandle { fuse_pollhandle_destroy(pollHandle) }
            return .error(EBADF)
        }
        let (revents, answers) = reader.poll(keeping: pollHandle.map(EventReader.PollHandle.init))
        answers.send()
        return .poll(revents)
    }

    /// Queues the lines for every reader and answers what waited for them, on the calling
    /// (publishing) thread.
    func publish(_ lines: [[UInt8]]) {
        guard !lines.isEmpty else { return }
        for reader in table.withLock({ Array($0.readers.values) }) {
            reader.deliver(lines).send()
        }
    }

    /// The mount is ending: every waiting read gets 0 bytes (end of file), so readers end
    /// and the kernel can let the mount go.
    func finish() {
        let readers = table.withLock { table in
            table.finished = true
            return Array(table.readers.values)
        }
        for reader in readers { reader.close().send() }
    }

    private func interrupted(_ request: fuse_req_t, handle: UInt64) {
        reader(handle)?.interrupt(request)
    }

    private func reader(_ handle: UInt64) -> EventReader? {
        table.withLock { $0.readers[handle] }
    }
}
