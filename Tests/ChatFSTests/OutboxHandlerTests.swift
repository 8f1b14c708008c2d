import ChatCache
@testable import ChatFS
@testable import ChatOutbox
import CFuse
import Foundation
import Testing

/// The outbox through its handlers, request by request as the kernel sends them, against a
/// real cache (the sender never runs: what is queued stays waiting).
@Suite struct OutboxHandlerTests {
    /// One open file: its inode and the handle the kernel would pass back.
    struct OpenFile {
        let inode: UInt64
        let info: fuse_file_info
    }

    let tree: TestTree
    let filesystem: ChatFilesystem

    init() throws {
        tree = try TestTree(messageCount: 1)
        filesystem = tree.filesystem
    }

    var outbox: UInt64 { InodeNumber.outboxDirectory(chatRowID: tree.chat.rowID).rawValue! }

    /// The errno a handler answers (0 for success).
    func errno(_ handler: () throws -> FuseReply) -> Int32 {
        do {
            if case .error(let code) = try handler() { return code }
            return 0
        } catch let error as FuseError {
            return error.code
        } catch let error as OutboxError {
            return error.errno  // as ChatFilesystem.serve replies
        } catch {
            Issue.record("unexpected error \(error)")
            return EIO
        }
    }

    func items() throws -> [String: OutboxRecord] {
        Dictionary(uniqueKeysWithValues: try tree.outbox.items(chatID: tree.chat.id).map { ($0.listedName, $0) })
    }

    func text(_ name: String) throws -> String? {
        try items()[name].flatMap { try tree.outbox.content(rowID: $0.rowID) }.map { String(decoding: $0, as: UTF8.self) }
    }

    func queued() throws -> Int { try tree.outbox.store.queuedCount() }

    func create(_ name: String, flags: Int32 = O_WRONLY | O_CREAT | O_TRUNC) throws -> OpenFile {
        var info = fuse_file_info()
        info.flags = flags
        guard case .created(let entry, let opened) = Reply(try filesystem.create(parent: outbox, name: name, info)) else {
            throw FuseError(EIO)
        }
        return OpenFile(inode: entry.ino, info: opened)
    }

    func open(_ name: String, flags: Int32) throws -> OpenFile {
        let entry = try #require(Reply(try filesystem.lookup(parent: outbox, name: name)).entry)
        var info = fuse_file_info()
        info.flags = flags
        let opened = try #require(Reply(try filesystem.open(entry.ino, info)).openInfo)
        return OpenFile(inode: entry.ino, info: opened)
    }

    func write(_ file: OpenFile, _ text: String, at offset: Int64 = 0) throws {
        guard case .written(let count) = Reply(try filesystem.write(file.inode, bytes: Array(text.utf8), offset: offset, file.info)) else {
            throw FuseError(EIO)
        }
        #expect(count == text.utf8.count)
    }

    func flush(_ file: OpenFile) -> Int32 { errno { try filesystem.flush(file.inode, file.info) } }

    func release(_ file: OpenFile) { _ = filesystem.release(file.inode, file.info) }

    /// close() of the last descriptor: what it reports.
    func close(_ file: OpenFile) -> Int32 {
        defer { release(file) }
        return flush(file)
    }

    func read(_ file: OpenFile) throws -> String {
        String(decoding: try #require(Reply(try filesystem.read(placeholderRequest, file.inode, size: 1 << 16, offset: 0, file.info)).bytes), as: UTF8.self)
    }

    func rename(_ name: String, _ newName: String, flags: UInt32 = 0, from: UInt64? = nil, to: UInt64? = nil) -> Int32 {
        errno { try filesystem.rename(parent: from ?? outbox, name: name, newParent: to ?? outbox, newName: newName, flags: flags) }
    }

    func xattr(_ name: String, of file: String) throws -> String? {
        let entry = try #require(Reply(try filesystem.lookup(parent: outbox, name: file)).entry)
        return try Reply(filesystem.getxattr(entry.ino, name: name, size: 4096)).bytes.map { String(decoding: $0, as: UTF8.self) }
    }

    func fail(_ name: String) throws {
        let item = try #require(try items()[name])
        _ = try tree.outbox.store.claim(rowID: item.rowID, now: .distantFuture)
        try tree.outbox.store.release(rowID: item.rowID, SendPolicy.Outcome(attempts: 5, state: .failed, nextAttemptAt: nil, needsCheck: false,
                                                                           startsDoubt: false, reason: "HTTP 500", now: Date()))
    }

    // MARK: sending

    /// `sh -c 'echo hi > x'`: open, dup2 and close the original (a FLUSH on the still empty
    /// file, whose refusal the shell ignores), write, exit.
    @Test func aShellRedirectionQueuesTheFinalTextOnce() throws {
        let file = try create("a.txt")
        #expect(flush(file) == EINVAL)
        #expect(try items()["a.txt"]?.state == .writing)
        try write(file, "hi\n")
        #expect(close(file) == 0)
        let item = try #require(try items()["a.txt"])
        #expect(item.state == .waiting)
        #expect(try text("a.txt") == "hi\n")
        #expect(item.clientTempID != nil)
        #expect(try queued() == 1)
    }

    @Test func aFileStillOpenIsNotQueuedAndShowsWriting() throws {
        let file = try create("slow.txt")
        try write(file, "part one ")
        #expect(try items()["slow.txt"]?.state == .writing)
        #expect(try xattr("user.chatfs.state", of: "slow.txt") == "writing")
        #expect(try read(file) == "part one ")
        guard case .attributes(let attributes, let timeout) = Reply(try filesystem.getattr(file.inode)) else {
            Issue.record("no attributes")
            return
        }
        #expect(attributes.st_size == 9)  // the buffer's size while open
        #expect(attributes.st_mode == S_IFREG | 0o644)
        #expect(timeout == CacheTimeouts.outboxFileAttributes)
        try write(file, "part two", at: 9)
        #expect(close(file) == 0)
        #expect(try text("slow.txt") == "part one part two")
        #expect(try xattr("user.chatfs.state", of: "slow.txt") == "waiting")
    }

    @Test(arguments: [(Array("  \n".utf8), EINVAL), ([0xFF, 0xFE, 0x41], EILSEQ), ([UInt8](repeating: 97, count: 10_001), EFBIG)])
    func refusedTextIsReportedAtCloseAndKeptAsRefusedAtRelease(bytes: [UInt8], code: Int32) throws {
        let file = try create("refused.txt")
        _ = try filesystem.write(file.inode, bytes: bytes, offset: 0, file.info)
        #expect(flush(file) == code)
        #expect(try items()["refused.txt"] != nil)  // another descriptor could still write
        release(file)
        // A shell ignores close() errors: `ls` shows the refusal, with its reason.
        #expect(try items().keys.sorted() == ["refused.txt.refused"])
        #expect(try xattr("user.chatfs.state", of: "refused.txt.refused") == "refused")
        #expect(try xattr("user.chatfs.last_error", of: "refused.txt.refused")?.isEmpty == false)
        #expect(try text("refused.txt.refused") == String(decoding: bytes, as: UTF8.self))
        let entry = try #require(Reply(try filesystem.lookup(parent: outbox, name: "refused.txt.refused")).entry)
        #expect(entry.attr.st_mode == S_IFREG | 0o444)
        #expect(try queued() == 0)
        let refusal = try #require(try tree.cache.meta(.lastRefusal))
        #expect(refusal.contains("\(tree.chat.dirName)/outbox/refused.txt"))
        // Writing the name again dismisses the notice; rm dismisses it too.
        let again = try create("refused.txt")
        try write(again, "now with text")
        #expect(close(again) == 0)
        #expect(try items().keys.sorted() == ["refused.txt"])
    }

    @Test func aFullQueueRefusesTheNextMessageWithEDQUOT() throws {
        for index in 0..<OutboxPolicy.maxQueued {
            let item = try tree.outbox.create(chatID: tree.chat.id, name: "q\(index)")
            try tree.outbox.commit(rowID: item.rowID, content: Array("queued \(index)".utf8))
        }
        let file = try create("one-too-many")
        try write(file, "one too many")
        #expect(close(file) == EDQUOT)
        #expect(try items()["one-too-many.refused"] != nil)
    }

    // MARK: drafts and editors

    @Test func draftsAreSavedNeverQueued() throws {
        for name in [".hidden", "notes~", "a.swp", "b.swx", "c.tmp", "d.part"] {
            let file = try create(name)
            try write(file, "draft \(name)")
            #expect(close(file) == 0)
            #expect(try items()[name]?.state == .draft, "\(name)")
        }
        let appending = try open("notes~", flags: O_WRONLY | O_APPEND)
        try write(appending, "\nmore", at: 0)
        #expect(close(appending) == 0)
        #expect(try text("notes~") == "draft notes~\nmore")
        #expect(try queued() == 0)
        #expect(rename("notes~", "notes.txt") == 0)
        #expect(try items()["notes.txt"]?.state == .waiting)
        #expect(try text("notes.txt") == "draft notes~\nmore")
    }

    /// vim, new file: swap file written and fsynced, the file written, fsynced, closed, the
    /// swap file closed and deleted.
    @Test func vimWritingANewFileSendsOneMessage() throws {
        let swap = try create(".reply.txt.swp", flags: O_CREAT | O_RDWR)
        try write(swap, "b0VIM swap header")
        #expect(errno { try filesystem.fsync(swap.inode, swap.info) } == 0)
        #expect(try text(".reply.txt.swp") == "b0VIM swap header")  // persisted by fsync
        let file = try create("reply.txt")
        try write(file, "first line\n")
        try write(file, "final text from vim\n", at: 11)
        #expect(errno { try filesystem.fsync(file.inode, file.info) } == 0)
        #expect(try items()["reply.txt"]?.state == .writing)  // fsync sends nothing early
        #expect(close(file) == 0)
        #expect(close(swap) == 0)
        #expect(errno { try filesystem.unlink(parent: outbox, name: ".reply.txt.swp") } == 0)
        #expect(try items().keys.sorted() == ["reply.txt"])
        #expect(try text("reply.txt") == "first line\nfinal text from vim\n")
        #expect(try queued() == 1)
    }

    /// vim, existing file with a backup: rename x → x~, write a new x, close, remove x~.
    @Test func vimSavingAnExistingQueuedFileSendsOnlyTheFinalText() throws {
        let first = try create("edit.txt")
        try write(first, "first version")
        #expect(close(first) == 0)
        #expect(rename("edit.txt", "edit.txt~") == 0)
        #expect(try items()["edit.txt~"]?.state == .draft)  // out of the queue
        let file = try create("edit.txt")
        try write(file, "edited with backup\n")
        #expect(close(file) == 0)
        #expect(errno { try filesystem.unlink(parent: outbox, name: "edit.txt~") } == 0)
        #expect(try items().keys.sorted() == ["edit.txt"])
        #expect(try text("edit.txt") == "edited with backup\n")
        #expect(try queued() == 1)
    }

    /// nano: write, close, reopen with O_TRUNC, write, close, rename the draft to its name.
    @Test func nanoTruncateAndRewriteSendsTheFinalText() throws {
        let first = try create("nano.tmp")
        try write(first, "nano draft")
        #expect(flush(first) == 0)
        // The RELEASE of the first descriptor may come after the next OPEN.
        let second = try open("nano.tmp", flags: O_WRONLY | O_TRUNC)
        release(first)
        try write(second, "nano final\n")
        #expect(close(second) == 0)
        #expect(try text("nano.tmp") == "nano final\n")
        #expect(rename("nano.tmp", "nano.txt") == 0)
        #expect(try items()["nano.txt"]?.state == .waiting)
        #expect(try text("nano.txt") == "nano final\n")
        #expect(try queued() == 1)
    }

    /// Editors' atomic save: a temporary renamed over the queued file replaces it.
    @Test func aDraftRenamedOverAQueuedFileReplacesIt() throws {
        let original = try create("x")
        try write(original, "old text")
        #expect(close(original) == 0)
        let temporary = try create(".x.tmp")
        try write(temporary, "new text")
        #expect(close(temporary) == 0)
        #expect(rename(".x.tmp", "x") == 0)
        #expect(try items().keys.sorted() == ["x"])
        #expect(try text("x") == "new text")
        #expect(try queued() == 1)
    }

    @Test func aDraftThatCannotBeSentStaysADraftUnderItsName() throws {
        let file = try create("empty~")
        #expect(close(file) == 0)
        #expect(rename("empty~", "empty") == EINVAL)
        #expect(try items()["empty~"]?.state == .draft)
        #expect(try tree.cache.meta(.lastRefusal)?.contains("outbox/empty") == true)
    }

    /// A rename of a file still being written only renames: the close commits it, under the
    /// new name's rules.
    @Test func aFileRenamedWhileOpenIsCommittedAtCloseUnderItsNewName() throws {
        let file = try create(".draft")
        try write(file, "sent at close")
        #expect(rename(".draft", "final.txt") == 0)
        #expect(try items()["final.txt"]?.state == .writing)
        #expect(close(file) == 0)
        #expect(try items()["final.txt"]?.state == .waiting)
    }

    @Test func openingAQueuedFileForWritingTakesItOutOfTheQueueUntilClosed() throws {
        let file = try create("queued.txt")
        try write(file, "before")
        #expect(close(file) == 0)
        let reader = try open("queued.txt", flags: O_RDONLY)
        #expect(reader.info.noflush == 1)
        #expect(try read(reader) == "before")
        let writer = try open("queued.txt", flags: O_WRONLY | O_TRUNC)
        #expect(try items()["queued.txt"]?.state == .writing)
        #expect(try queued() == 0)
        #expect(try read(reader) == "")  // a reader sees the writer's changes
        try write(writer, "after")
        #expect(close(writer) == 0)
        #expect(try items()["queued.txt"]?.state == .waiting)
        #expect(try text("queued.txt") == "after")
        #expect(try read(reader) == "after")
        release(reader)
    }

    // MARK: failures

    @Test func aFailedFileIsReadOnlyAndRenamingItBackRetriesWithTheSameClientTempID() throws {
        let file = try create("retry.txt")
        try write(file, "retried")
        #expect(close(file) == 0)
        let clientTempID = try items()["retry.txt"]?.clientTempID
        try fail("retry.txt")
        #expect(try items().keys.sorted() == ["retry.txt.failed"])
        #expect(try xattr("user.chatfs.state", of: "retry.txt.failed") == "failed")
        #expect(try xattr("user.chatfs.last_error", of: "retry.txt.failed") == "HTTP 500")
        let entry = try #require(Reply(try filesystem.lookup(parent: outbox, name: "retry.txt.failed")).entry)
        #expect(entry.attr.st_mode == S_IFREG | 0o444)
        var info = fuse_file_info()
        info.flags = O_WRONLY
        #expect(errno { try filesystem.open(entry.ino, info) } == EACCES)
        // The name x is taken while x.failed exists.
        #expect(errno { try filesystem.create(parent: outbox, name: "retry.txt", fuse_file_info()) } == EEXIST)
        #expect(rename("retry.txt.failed", "retry.txt") == 0)
        let retried = try #require(try items()["retry.txt"])
        #expect(retried.state == .waiting)
        #expect(retried.attempts == 0)
        #expect(retried.lastError == nil)
        #expect(retried.clientTempID == clientTempID)
    }

    @Test func rmCancelsQueuedDraftAndFailedFiles() throws {
        for name in ["queued", "draft~", "failed"] {
            let file = try create(name)
            try write(file, name)
            #expect(close(file) == 0)
        }
        try fail("failed")
        for name in ["queued", "draft~", "failed.failed"] {
            #expect(errno { try filesystem.unlink(parent: outbox, name: name) } == 0, "\(name)")
        }
        #expect(try items().isEmpty)
        #expect(errno { try filesystem.unlink(parent: outbox, name: "queued") } == ENOENT)
    }

    // MARK: attributes

    @Test func truncateAppliesToDraftsAndIsBusyOnQueuedFiles() throws {
        let draft = try create("t.tmp")
        try write(draft, "0123456789")
        #expect(close(draft) == 0)
        var size = stat()
        size.st_size = 4
        #expect(errno { try filesystem.setattr(draft.inode, size, toSet: FUSE_SET_ATTR_SIZE, handle: nil) } == 0)
        #expect(try text("t.tmp") == "0123")

        let queued = try create("q.txt")
        try write(queued, "queued")
        #expect(close(queued) == 0)
        #expect(errno { try filesystem.setattr(queued.inode, size, toSet: FUSE_SET_ATTR_SIZE, handle: nil) } == EBUSY)

        // ftruncate by a writer applies to its buffer.
        let writer = try open("q.txt", flags: O_RDWR)
        #expect(errno { try filesystem.setattr(writer.inode, size, toSet: FUSE_SET_ATTR_SIZE, handle: writer.info.fh) } == 0)
        #expect(close(writer) == 0)
        #expect(try text("q.txt") == "queu")
    }

    @Test func theOwnerIsFixedAndTheModeIsKept() throws {
        let file = try create("p~")
        #expect(close(file) == 0)
        var requested = stat()
        requested.st_mode = S_IFREG | 0o644
        requested.st_uid = getuid()
        requested.st_gid = getgid()
        #expect(errno { try filesystem.setattr(file.inode, requested, toSet: FUSE_SET_ATTR_MODE | FUSE_SET_ATTR_UID | FUSE_SET_ATTR_GID, handle: nil) } == 0)
        // Permission bits are kept (install, cp -p); set-id bits are refused.
        requested.st_mode = S_IFREG | 0o600
        #expect(errno { try filesystem.setattr(file.inode, requested, toSet: FUSE_SET_ATTR_MODE, handle: nil) } == 0)
        guard case .attributes(let changed, _) = Reply(try filesystem.getattr(file.inode)) else {
            Issue.record("no attributes")
            return
        }
        #expect(changed.st_mode == S_IFREG | 0o600)
        requested.st_mode = S_IFREG | 0o4755
        #expect(errno { try filesystem.setattr(file.inode, requested, toSet: FUSE_SET_ATTR_MODE, handle: nil) } == EPERM)
        requested.st_uid = getuid() + 1
        #expect(errno { try filesystem.setattr(file.inode, requested, toSet: FUSE_SET_ATTR_UID, handle: nil) } == EPERM)
        #expect(errno { try filesystem.setattr(file.inode, requested, toSet: FUSE_SET_ATTR_MTIME_NOW, handle: nil) } == 0)
        #expect(errno { try filesystem.setattr(tree.chatInode, requested, toSet: FUSE_SET_ATTR_MTIME_NOW, handle: nil) } == EROFS)
    }

    @Test func queuedFilesShowTheirStateInExtendedAttributes() throws {
        let file = try create("x.txt")
        try write(file, "hello")
        #expect(close(file) == 0)
        let entry = try #require(Reply(try filesystem.lookup(parent: outbox, name: "x.txt")).entry)
        let names = try #require(Reply(try filesystem.listxattr(entry.ino, size: 4096)).bytes)
        #expect(String(decoding: names, as: UTF8.self).split(separator: "\0").map(String.init)
                == ["user.chatfs.state", "user.chatfs.attempts", "user.chatfs.next_attempt", "user.chatfs.client_temp_id"])
        #expect(try xattr("user.chatfs.state", of: "x.txt") == "waiting")
        #expect(try xattr("user.chatfs.attempts", of: "x.txt") == "0")
        #expect(try xattr("user.chatfs.client_temp_id", of: "x.txt") == (try items()["x.txt"]?.clientTempID))
    }

    // MARK: names and directories

    @Test func theOutboxListsItsFilesByListedName() throws {
        for name in ["b", "a~"] {
            let file = try create(name)
            try write(file, "text")
            #expect(close(file) == 0)
        }
        try fail("b")
        let opened = try #require(Reply(try filesystem.opendir(outbox, fuse_file_info())).openInfo)
        let reply = try filesystem.readdir(placeholderRequest, outbox, size: 4096, offset: 0, opened, withAttributes: true)
        let entries = decodeDirectoryBuffer(try #require(Reply(reply).bytes), withAttributes: true)
        #expect(entries.map(\.name) == [".", "..", "b.failed", "a~"])
        let resumed = try filesystem.readdir(placeholderRequest, outbox, size: 4096, offset: entries[2].nextOffset, opened, withAttributes: false)
        #expect(decodeDirectoryBuffer(try #require(Reply(resumed).bytes), withAttributes: false).map(\.name) == ["a~"])
        guard case .attributes(let attributes, _) = Reply(try filesystem.getattr(outbox)) else {
            Issue.record("no attributes")
            return
        }
        #expect(attributes.st_mode == S_IFDIR | 0o755)
    }

    @Test func renamesAcrossTheTreeAreCrossDeviceOrReadOnly() throws {
        let file = try create("x~")
        #expect(close(file) == 0)
        #expect(rename("x~", "x", to: tree.chatInode) == EXDEV)
        #expect(rename("000001-bob.txt", "x", from: tree.chatInode) == EXDEV)
        #expect(rename("000001-bob.txt", "y", from: tree.chatInode, to: tree.chatInode) == EROFS)
        #expect(rename("x~", "y", flags: 1 << 1) == EINVAL)  // RENAME_EXCHANGE
        #expect(rename("missing", "y") == ENOENT)
    }

    @Test func creatingOutsideAnOutboxIsReadOnly() throws {
        #expect(errno { try filesystem.create(parent: tree.chatInode, name: "x", fuse_file_info()) } == EROFS)
        #expect(errno { try filesystem.unlink(parent: tree.chatInode, name: "000001-bob.txt") } == EROFS)
        #expect(errno { try filesystem.create(parent: outbox, name: "x.failed", fuse_file_info()) } == EINVAL)
        #expect(errno { try filesystem.create(parent: outbox, name: "x.refused", fuse_file_info()) } == EINVAL)
    }

    @Test func theFlushBarrierReturnsAtOnceWithNothingQueued() {
        for directory in [outbox, InodeNumber.root.rawValue!, InodeNumber.controlDirectory.rawValue!, tree.chatInode] {
            #expect(errno { try filesystem.fsyncdir(directory, isInterrupted: { false }) } == 0)
        }
    }

    /// The kernel's wait for an fsync is not killable: Ctrl-C must reach the barrier.
    @Test func theFlushBarrierEndsWhenItsCallerIsInterrupted() throws {
        let file = try create("waiting.txt")
        try write(file, "never sent: the engine is not running")
        #expect(close(file) == 0)
        let started = ContinuousClock.now
        #expect(errno { try filesystem.fsyncdir(outbox, isInterrupted: { true }) } == EINTR)
        #expect(ContinuousClock.now - started < .seconds(5))
    }

    // MARK: read state

    @Test func settingUnreadToZeroMarksTheChatReadAndNothingElseIsSettable() throws {
        #expect(tree.chat.unreadCount == 3)
        #expect(errno { try filesystem.setxattr(tree.chatInode, name: "user.chatfs.unread", value: Array("5".utf8)) } == EINVAL)
        #expect(errno { try filesystem.setxattr(tree.chatInode, name: "user.chatfs.title", value: Array("x".utf8)) } == EOPNOTSUPP)
        #expect(errno { try filesystem.setxattr(tree.chatInode, name: "security.selinux", value: Array("x".utf8)) } == EOPNOTSUPP)
        #expect(try tree.cache.readRequests().isEmpty)
        #expect(errno { try filesystem.setxattr(tree.chatInode, name: "user.chatfs.unread", value: Array("0".utf8)) } == 0)
        #expect(try tree.cache.readRequests().map(\.chatID) == [tree.chat.id])
        #expect(Reply(try filesystem.getxattr(tree.chatInode, name: "user.chatfs.unread", size: 16)).bytes == Array("0".utf8))
    }
}
