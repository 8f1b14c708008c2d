import ChatOutbox
import Foundation
import Locking

/// The contents of open outbox files: what writers write, held in memory until it is
/// committed (queued, or saved as a draft) when the last writer closes the file, and what
/// readers read.
///
/// One buffer per outbox row, shared by every handle of that row (like a page cache), so
/// readers and writers see each other's changes and the row is committed once, with the
/// final text. While nobody writes, the buffer holds the stored content, so that a read
/// does not load the row each time (an attachment can be 50 MB).
///
/// "The last writer closes it" is judged per `flush`, not per `release`: a shell's
/// `echo hi > x` opens x, dup2()s the descriptor onto stdout and closes the original
/// before anything is written, so the first FLUSH arrives on an empty file that is about
/// to be written; and RELEASE is sent asynchronously after close() returned, so counting
/// releases would let a quick reopen (nano: close, then open with O_TRUNC) overlap the
/// previous handle. A write handle therefore counts as an *active* writer from open until
/// its next flush, and again from any later write; a buffer is committed when a flush
/// leaves it with no active writer and uncommitted changes. `release` commits what is
/// still uncommitted when the last handle goes, but its errors reach nobody.
///
/// A buffer whose row is deleted or replaced is *detached*: its handles keep working on
/// it (like an unlinked file) and it is never committed. Row ids can be reused once a row
/// is gone, so a handle names its buffer, never just a row.
final class OutboxBuffers: Sendable {
    /// What a commit writes: the content as of `version`.
    struct Snapshot: Equatable {
        let bufferID: UInt64
        let rowID: Int64
        let content: [UInt8]
        let version: UInt64
        /// A write was refused for going past `maximumSize`: the size it asked for. Such a
        /// file is never queued cut short (a draft keeps what was written).
        let oversize: Int?
    }

    /// The largest outbox file: the largest attachment the server takes (a text message is
    /// at most 10,000 characters, ≤ 40,000 bytes). Memory stays bounded per open file.
    static let maximumSize = OutboxPolicy.maxAttachmentBytes

    private struct Buffer {
        let rowID: Int64
        var content: [UInt8]
        /// Open handles, readers and writers, active or not.
        var handles = 0
        var activeWriters = 0
        /// Changed since the last commit (or never committed).
        var dirty = true
        /// Bumped on every change, so a commit that raced a write does not clear `dirty`.
        var version: UInt64 = 0
        /// The row's buffer; false once the row is gone or replaced.
        var attached = true
        /// The largest size a refused write asked for (see `Snapshot.oversize`).
        var oversize: Int?

        /// The buffer is the truth about the file's content (else the stored row is).
        var isOpenForWriting: Bool { attached && (activeWriters > 0 || dirty) }

        mutating func changed() {
            dirty = true
            version += 1
        }
    }

    private struct Handle {
        let bufferID: UInt64
        let writes: Bool
        let append: Bool
        var active: Bool
    }

    private struct State {
        var buffers: [UInt64: Buffer] = [:]
        /// The attached buffer of each row that has one.
        var bufferOfRow: [Int64: UInt64] = [:]
        var handles: [UInt64: Handle] = [:]
        var lastID: UInt64 = 0

        mutating func nextID() -> UInt64 {
            lastID += 1
            return lastID
        }

        /// The buffer a new handle on `rowID` shares, with one more handle. `fresh` (a file
        /// just created: the row id may be a reused one) always starts a new, empty buffer.
        /// A buffer nobody writes takes `storedContent`: the stored row is the truth then.
        mutating func buffer(ofRow rowID: Int64, storedContent: [UInt8], fresh: Bool) -> UInt64 {
            let id: UInt64
            if !fresh, let existing = bufferOfRow[rowID] {
                id = existing
                if !buffers[id]!.isOpenForWriting { buffers[id]!.content = storedContent }
            } else {
                id = nextID()
                if let previous = bufferOfRow[rowID] { buffers[previous]?.attached = false }
                var buffer = Buffer(rowID: rowID, content: fresh ? [] : storedContent)
                buffer.dirty = false
                buffers[id] = buffer
                bufferOfRow[rowID] = id
            }
            buffers[id]!.handles += 1
            return id
        }

        /// The row's buffer while it is open for writing.
        func openBuffer(ofRow rowID: Int64) -> UInt64? {
            guard let id = bufferOfRow[rowID], buffers[id]?.isOpenForWriting == true else { return nil }
            return id
        }

        func snapshot(_ id: UInt64) -> Snapshot? {
            buffers[id].map { Snapshot(bufferID: id, rowID: $0.rowID, content: $0.content, version: $0.version, oversize: $0.oversize) }
        }
    }

    private let state = Locked(State())

    // MARK: handles

    /// A new write handle on `rowID` (see `State.buffer(ofRow:)`). `truncate` (O_TRUNC)
    /// empties the buffer. The file is open for writing until committed.
    func openWriter(rowID: Int64, storedContent: [UInt8], fresh: Bool, truncate: Bool, append: Bool) -> UInt64 {
        state.withLock { state in
            let id = state.buffer(ofRow: rowID, storedContent: storedContent, fresh: fresh)
            state.buffers[id]!.activeWriters += 1
            if truncate {
                state.buffers[id]!.content = []
                state.buffers[id]!.oversize = nil
            }
            state.buffers[id]!.changed()
            let handle = state.nextID()
            state.handles[handle] = Handle(bufferID: id, writes: true, append: append, active: true)
            return handle
        }
    }

    /// A read handle on `rowID` (see `State.buffer(ofRow:)`).
    func openReader(rowID: Int64, storedContent: [UInt8]) -> UInt64 {
        state.withLock { state in
            let id = state.buffer(ofRow: rowID, storedContent: storedContent, fresh: false)
            let handle = state.nextID()
            state.handles[handle] = Handle(bufferID: id, writes: false, append: false, active: false)
            return handle
        }
    }

    /// Ends a handle; when it was the buffer's last, the buffer goes, and what it still
    /// held uncommitted is returned for a last commit.
    func release(_ handle: UInt64) -> Snapshot? {
        state.withLock { state in
            guard let closing = state.handles.removeValue(forKey: handle), state.buffers[closing.bufferID] != nil else { return nil }
            let id = closing.bufferID
            if closing.active { state.buffers[id]!.activeWriters -= 1 }
            state.buffers[id]!.handles -= 1
            guard state.buffers[id]!.handles == 0 else { return nil }
            let buffer = state.buffers.removeValue(forKey: id)!
            if state.bufferOfRow[buffer.rowID] == id { state.bufferOfRow[buffer.rowID] = nil }
            guard buffer.attached, buffer.dirty else { return nil }
            return Snapshot(bufferID: id, rowID: buffer.rowID, content: buffer.content, version: buffer.version,
                            oversize: buffer.oversize)
        }
    }

    /// A flush (one close() of a write handle): the handle stops being an active writer,
    /// and when that leaves the buffer without one, its uncommitted content is returned to
    /// commit.
    func flush(_ handle: UInt64) -> Snapshot? {
        state.withLock { state in
            guard let flushing = state.handles[handle], flushing.writes, state.buffers[flushing.bufferID] != nil else { return nil }
            let id = flushing.bufferID
            if flushing.active {
                state.handles[handle]!.active = false
                state.buffers[id]!.activeWriters -= 1
            }
            let buffer = state.buffers[id]!
            guard buffer.attached, buffer.activeWriters == 0, buffer.dirty else { return nil }
            return state.snapshot(id)
        }
    }

    /// The uncommitted content of the handle's buffer, for fsync to store as is.
    func uncommitted(_ handle: UInt64) -> Snapshot? {
        state.withLock { state in
            guard let id = state.handles[handle]?.bufferID, let buffer = state.buffers[id], buffer.attached, buffer.dirty else {
                return nil
            }
            return state.snapshot(id)
        }
    }

    /// The snapshot is stored: the buffer is clean unless it changed meanwhile.
    func committed(_ snapshot: Snapshot) {
        state.withLock { state in
            if state.buffers[snapshot.bufferID]?.version == snapshot.version {
                state.buffers[snapshot.bufferID]?.dirty = false
            }
        }
    }

    // MARK: changes

    /// The row a write through `handle` would reopen: its buffer was committed (the row may
    /// be queued) and has no active writer. The caller takes the row back out of the queue
    /// (`reopen`) before writing. Nil when the buffer is open, detached or unknown.
    func committedRow(of handle: UInt64) -> Int64? {
        state.withLock { state in
            guard let writing = state.handles[handle], writing.writes, let buffer = state.buffers[writing.bufferID],
                  buffer.attached, !buffer.isOpenForWriting else { return nil }
            return buffer.rowID
        }
    }

    /// A committed buffer is written again: it starts over from the stored content.
    func reopen(_ handle: UInt64, storedContent: [UInt8]) {
        state.withLock { state in
            guard let id = state.handles[handle]?.bufferID, state.buffers[id]?.isOpenForWriting == false else { return }
            state.buffers[id]!.content = storedContent
            state.buffers[id]!.changed()
        }
    }

    /// Writes `bytes` at `offset` (at the end for O_APPEND handles); the handle is an
    /// active writer again. Returns the count written.
    func write(_ handle: UInt64, bytes: [UInt8], offset: Int64) throws(FuseError) -> Int {
        try state.withLock { state throws(FuseError) -> Int in
            guard let writing = state.handles[handle], writing.writes, state.buffers[writing.bufferID] != nil else {
                throw FuseError(EBADF)
            }
            guard offset >= 0 else { throw FuseError(EINVAL) }
            let id = writing.bufferID
            let start = writing.append ? state.buffers[id]!.content.count : Int(clamping: offset)
            let (end, overflow) = start.addingReportingOverflow(bytes.count)
            guard !overflow, end <= Self.maximumSize else {
                // Remembered: what was written so far must never be queued as if it were the file.
                state.buffers[id]!.oversize = max(state.buffers[id]!.oversize ?? 0, overflow ? Int.max : end)
                state.buffers[id]!.changed()
                throw FuseError(EFBIG)
            }
            // In place (`buffers[id]!`): a copy of the buffer would copy its content on every write.
            Self.resize(&state.buffers[id]!.content, atLeast: end)
            Self.copy(bytes, into: &state.buffers[id]!.content, at: start)
            state.buffers[id]!.changed()
            if !writing.active {
                state.handles[handle]!.active = true
                state.buffers[id]!.activeWriters += 1
            }
            return bytes.count
        }
    }

    /// Sets the size of `rowID`'s open buffer (zero-filled when it grows). False when the
    /// row has no open buffer: the caller changes the stored content instead.
    func truncate(rowID: Int64, to size: Int) throws(FuseError) -> Bool {
        guard size >= 0 else { throw FuseError(EINVAL) }
        return try state.withLock { state throws(FuseError) -> Bool in
            guard let id = state.openBuffer(ofRow: rowID) else {
                guard size <= Self.maximumSize else { throw FuseError(EFBIG) }
                return false
            }
            // A refused truncate changes nothing (unlike a refused write, nothing was cut short).
            guard size <= Self.maximumSize else { throw FuseError(EFBIG) }
            Self.resize(&state.buffers[id]!.content, to: size)
            state.buffers[id]!.changed()
            return true
        }
    }

    /// The stored content of `rowID` was changed directly (truncate of a closed draft): a
    /// buffer nobody writes follows it.
    func storedContentChanged(rowID: Int64, to content: [UInt8]) {
        state.withLock { state in
            guard let id = state.bufferOfRow[rowID], !state.buffers[id]!.isOpenForWriting else { return }
            state.buffers[id]!.content = content
        }
    }

    /// The row was deleted or replaced: its buffer (if any) is never committed again.
    func detach(rowID: Int64) {
        state.withLock { state in
            guard let id = state.bufferOfRow.removeValue(forKey: rowID) else { return }
            state.buffers[id]?.attached = false
        }
    }

    /// `content` cut or zero-filled to `size` bytes.
    static func resize(_ content: inout [UInt8], to size: Int) {
        if size < content.count {
            content.removeSubrange(size...)
        } else {
            resize(&content, atLeast: size)
        }
    }

    // Both with whole-buffer copies: a generic, element-wise `replaceSubrange` costs about
    // 30 ms per 128 KiB write unoptimized (debug builds), which made `cp` crawl.
    private static func resize(_ content: inout [UInt8], atLeast size: Int) {
        if size > content.count { content += [UInt8](repeating: 0, count: size - content.count) }
    }

    private static func copy(_ bytes: [UInt8], into content: inout [UInt8], at start: Int) {
        content.withUnsafeMutableBytes { target in
            bytes.withUnsafeBytes { source in
                guard let from = source.baseAddress else { return }
                target.baseAddress!.advanced(by: start).copyMemory(from: from, byteCount: source.count)
            }
        }
    }

    // MARK: reading

    /// The size of `rowID` while it is open for writing.
    func openSize(rowID: Int64) -> Int? {
        state.withLock { state in state.openBuffer(ofRow: rowID).flatMap { state.buffers[$0]?.content.count } }
    }

    func isOpenForWriting(rowID: Int64) -> Bool {
        state.withLock { state in state.openBuffer(ofRow: rowID) != nil }
    }

    /// What a handle reads: its buffer, even a detached one (an unlinked file stays
    /// readable through its descriptors).
    func content(of handle: UInt64) -> [UInt8]? {
        state.withLock { state in state.handles[handle].flatMap { state.buffers[$0.bufferID]?.content } }
    }
}
