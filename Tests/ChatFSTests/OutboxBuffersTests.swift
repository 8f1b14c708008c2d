@testable import ChatFS
import Foundation
import Testing

/// When an outbox file is committed: once, with the final text, when its last writer closes it.
@Suite struct OutboxBuffersTests {
    let buffers = OutboxBuffers()

    func text(_ snapshot: OutboxBuffers.Snapshot?) -> String? {
        snapshot.map { String(decoding: $0.content, as: UTF8.self) }
    }

    /// `sh -c 'echo hi > x'`: the shell closes its own descriptor (after dup2 onto stdout)
    /// before echo writes; the FLUSH of that close comes first, on an empty file.
    @Test func aShellRedirectionCommitsTheTextWrittenAfterItsFirstClose() throws {
        let handle = buffers.openWriter(rowID: 1, storedContent: [], fresh: true, truncate: false, append: false)
        #expect(text(buffers.flush(handle)) == "")  // committed and refused (empty) by the caller
        _ = try buffers.write(handle, bytes: Array("hi\n".utf8), offset: 0)
        let final = try #require(buffers.flush(handle))
        #expect(text(final) == "hi\n")
        buffers.committed(final)
        #expect(buffers.release(handle) == nil)
    }

    @Test func aSecondCloseWithoutNewWritesCommitsNothingAgain() throws {
        let handle = buffers.openWriter(rowID: 1, storedContent: [], fresh: true, truncate: false, append: false)
        _ = try buffers.write(handle, bytes: Array("once".utf8), offset: 0)
        buffers.committed(try #require(buffers.flush(handle)))
        #expect(buffers.flush(handle) == nil)
        #expect(buffers.release(handle) == nil)
    }

    /// A refused commit leaves the content uncommitted: the next close reports it again, and
    /// the release hands it over to be dropped.
    @Test func aRefusedCommitIsOfferedAgainUntilTheRelease() throws {
        let handle = buffers.openWriter(rowID: 1, storedContent: [], fresh: true, truncate: false, append: false)
        #expect(buffers.flush(handle) != nil)
        #expect(buffers.flush(handle) != nil)
        #expect(text(buffers.release(handle)) == "")
    }

    @Test func twoWritersShareOneBufferAndOnlyTheLastCloseCommits() throws {
        let first = buffers.openWriter(rowID: 1, storedContent: Array("old".utf8), fresh: false, truncate: false, append: false)
        let second = buffers.openWriter(rowID: 1, storedContent: Array("ignored".utf8), fresh: false, truncate: false, append: false)
        _ = try buffers.write(first, bytes: Array("new".utf8), offset: 0)
        _ = try buffers.write(second, bytes: Array(" text".utf8), offset: 3)
        #expect(buffers.flush(first) == nil)  // the second writer still writes
        #expect(text(buffers.flush(second)) == "new text")
        #expect(buffers.content(of: first) == Array("new text".utf8))
    }

    /// nano: close, then reopen with O_TRUNC before the first RELEASE has arrived.
    @Test func aReopenBeforeThePreviousReleaseStartsFromTheStoredTextAndTruncates() throws {
        let first = buffers.openWriter(rowID: 1, storedContent: [], fresh: true, truncate: false, append: false)
        _ = try buffers.write(first, bytes: Array("nano draft".utf8), offset: 0)
        buffers.committed(try #require(buffers.flush(first)))
        let second = buffers.openWriter(rowID: 1, storedContent: Array("nano draft".utf8), fresh: false, truncate: true, append: false)
        #expect(buffers.release(first) == nil)
        _ = try buffers.write(second, bytes: Array("nano final\n".utf8), offset: 0)
        #expect(text(buffers.flush(second)) == "nano final\n")
    }

    /// Readers share the row's buffer: they see writes, and the stored text once committed.
    @Test func readersShareTheRowsBufferWithWriters() throws {
        let reader = buffers.openReader(rowID: 1, storedContent: Array("stored".utf8))
        #expect(buffers.content(of: reader) == Array("stored".utf8))
        #expect(!buffers.isOpenForWriting(rowID: 1))  // reading opens nothing for writing
        #expect(buffers.flush(reader) == nil)
        #expect(throws: FuseError.self) { try buffers.write(reader, bytes: [1], offset: 0) }
        let writer = buffers.openWriter(rowID: 1, storedContent: Array("stored".utf8), fresh: false, truncate: true, append: false)
        _ = try buffers.write(writer, bytes: Array("new".utf8), offset: 0)
        #expect(buffers.content(of: reader) == Array("new".utf8))
        buffers.committed(try #require(buffers.flush(writer)))
        #expect(buffers.release(writer) == nil)
        buffers.storedContentChanged(rowID: 1, to: Array("ne".utf8))  // truncate of the closed file
        #expect(buffers.content(of: reader) == Array("ne".utf8))
        #expect(buffers.release(reader) == nil)
    }

    @Test func appendHandlesWriteAtTheEndWhateverTheOffset() throws {
        let handle = buffers.openWriter(rowID: 1, storedContent: Array("draft\n".utf8), fresh: false, truncate: false, append: true)
        _ = try buffers.write(handle, bytes: Array("more\n".utf8), offset: 0)
        #expect(buffers.content(of: handle) == Array("draft\nmore\n".utf8))
    }

    @Test func writesPastTheEndFillWithZerosAndTruncateResizes() throws {
        let handle = buffers.openWriter(rowID: 1, storedContent: [], fresh: true, truncate: false, append: false)
        _ = try buffers.write(handle, bytes: [65], offset: 2)
        #expect(buffers.content(of: handle) == [0, 0, 65])
        #expect(try buffers.truncate(rowID: 1, to: 1))
        #expect(buffers.openSize(rowID: 1) == 1)
        #expect(try !buffers.truncate(rowID: 2, to: 0))  // no open buffer: the caller changes the row
    }

    @Test func fileSizeIsBounded() {
        let handle = buffers.openWriter(rowID: 1, storedContent: [], fresh: true, truncate: false, append: false)
        #expect(throws: FuseError.self) { try buffers.write(handle, bytes: [1], offset: Int64(OutboxBuffers.maximumSize)) }
        #expect(throws: FuseError.self) { try buffers.write(handle, bytes: [1], offset: -1) }
    }

    /// rm of a file still open: its writers keep a private buffer that is never committed.
    @Test func aDetachedBufferIsNeverCommittedAndARecreatedRowStartsFresh() throws {
        let old = buffers.openWriter(rowID: 1, storedContent: [], fresh: true, truncate: false, append: false)
        _ = try buffers.write(old, bytes: Array("unlinked".utf8), offset: 0)
        buffers.detach(rowID: 1)
        #expect(!buffers.isOpenForWriting(rowID: 1))
        // Row ids are reused once a row is gone: a new file must not see the old buffer.
        let new = buffers.openWriter(rowID: 1, storedContent: [], fresh: true, truncate: false, append: false)
        #expect(buffers.content(of: old) == Array("unlinked".utf8))
        #expect(buffers.flush(old) == nil)
        #expect(buffers.release(old) == nil)
        #expect(buffers.content(of: new) == [])
        #expect(buffers.isOpenForWriting(rowID: 1))
    }

    @Test func aCommitThatRacedAWriteLeavesTheBufferUncommitted() throws {
        let handle = buffers.openWriter(rowID: 1, storedContent: [], fresh: true, truncate: false, append: false)
        _ = try buffers.write(handle, bytes: Array("a".utf8), offset: 0)
        let snapshot = try #require(buffers.flush(handle))
        _ = try buffers.write(handle, bytes: Array("b".utf8), offset: 1)
        buffers.committed(snapshot)
        #expect(text(buffers.flush(handle)) == "ab")
    }

    /// A write through a descriptor whose twin was closed (and committed) reopens the file.
    @Test func aWriteAfterACommitReopensFromTheStoredText() throws {
        let handle = buffers.openWriter(rowID: 1, storedContent: [], fresh: true, truncate: false, append: false)
        _ = try buffers.write(handle, bytes: Array("one".utf8), offset: 0)
        buffers.committed(try #require(buffers.flush(handle)))
        #expect(buffers.committedRow(of: handle) == 1)
        #expect(!buffers.isOpenForWriting(rowID: 1))
        buffers.reopen(handle, storedContent: Array("one".utf8))
        _ = try buffers.write(handle, bytes: Array(" two".utf8), offset: 3)
        #expect(buffers.committedRow(of: handle) == nil)
        #expect(text(buffers.flush(handle)) == "one two")
    }
}
