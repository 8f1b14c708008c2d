import ChatCache
@testable import ChatFS
import CFuse
import Foundation
import Testing

@Suite struct HandlerTests {
    @Test func aMessageFileIsFoundByItsExactNameOnly() throws {
        let tree = try TestTree(messageCount: 5)
        let message = try #require(try tree.messages().first { $0.sequence == 2 })
        let found = try #require(Reply(try tree.filesystem.lookup(parent: tree.chatInode, name: message.fileName)).entry)
        #expect(found.ino == InodeNumber.messageFile(messageRowID: message.rowID).rawValue)
        #expect(found.entry_timeout >= 3600)

        for wrong in ["000002-mallory.txt", "000002-\(message.sender).md", "2-\(message.sender).txt", "000009-alice.txt", "notes"] {
            let missing = try #require(Reply(try tree.filesystem.lookup(parent: tree.chatInode, name: wrong)).entry, "\(wrong)")
            // A negative entry: ino 0 with a timeout, so the kernel remembers the absence.
            #expect(missing.ino == 0, "\(wrong)")
            #expect(missing.entry_timeout > 0)
        }
    }

    @Test func theRootFindsChatsByDirectoryNameAndTheControlDirectory() throws {
        let tree = try TestTree(messageCount: 1)
        let root = InodeNumber.root.rawValue!
        #expect(Reply(try tree.filesystem.lookup(parent: root, name: tree.chat.dirName)).entry?.ino == tree.chatInode)
        #expect(Reply(try tree.filesystem.lookup(parent: root, name: ".chatfs")).entry?.ino == InodeNumber.controlDirectory.rawValue)
        #expect(Reply(try tree.filesystem.lookup(parent: root, name: "Printer / broken")).entry?.ino == 0)
    }

    @Test func messageAttributesAreExact() throws {
        let tree = try TestTree(messageCount: 3)
        let message = try #require(try tree.messages().last)
        let inode = InodeNumber.messageFile(messageRowID: message.rowID).rawValue!
        guard case .attributes(let attributes, let timeout) = Reply(try tree.filesystem.getattr(inode)) else {
            Issue.record("no attributes")
            return
        }
        #expect(attributes.st_size == message.renderedSize)
        #expect(attributes.st_size == message.renderedBytes().count)
        #expect(attributes.st_mode == S_IFREG | 0o444)
        #expect(attributes.st_uid == getuid())
        #expect(attributes.st_mtim.tv_sec == Int(message.createdAt.timeIntervalSince1970.rounded(.down)))
        #expect(attributes.st_ino == UInt(inode))
        #expect(timeout >= 3600)
    }

    /// 0755 so that the kernel lets `setfattr -n user.chatfs.unread` through (it checks
    /// write permission); creating anything in them is refused by the handlers (EROFS).
    @Test func chatDirectoriesAreOwnerWritableForMarkingReadAndDatedByTheirLastMessage() throws {
        let tree = try TestTree(messageCount: 1)
        guard case .attributes(let attributes, _) = Reply(try tree.filesystem.getattr(tree.chatInode)) else {
            Issue.record("no attributes")
            return
        }
        #expect(attributes.st_mode == S_IFDIR | 0o755)
        #expect(attributes.st_nlink == 3)  // ".", "..", "outbox" ("media" is a symlink)
        #expect(attributes.st_mtim.tv_sec == 1_770_500_000)
    }

    @Test func readsReturnTheRenderedBytes() throws {
        let tree = try TestTree(messageCount: 1)
        let message = try #require(try tree.messages().first)
        let inode = InodeNumber.messageFile(messageRowID: message.rowID).rawValue!
        let opened = try #require(Reply(try tree.filesystem.open(inode, fuse_file_info())).openInfo)
        #expect(opened.keep_cache == 1)
        #expect(Reply(try tree.filesystem.read(placeholderRequest, inode, size: 1 << 17, offset: 0, opened)).bytes == message.renderedBytes())
        #expect(Reply(try tree.filesystem.read(placeholderRequest, inode, size: 4, offset: 6, opened)).bytes == Array(message.renderedBytes()[6..<10]))
        #expect(Reply(try tree.filesystem.read(placeholderRequest, inode, size: 10, offset: 1 << 20, opened)).bytes == [])
    }

    @Test(arguments: [O_WRONLY, O_RDWR, O_RDONLY | O_TRUNC])
    func openingForWritingIsRefused(flags: Int32) throws {
        let tree = try TestTree(messageCount: 1)
        let message = try #require(try tree.messages().first)
        var info = fuse_file_info()
        info.flags = flags
        let inode = InodeNumber.messageFile(messageRowID: message.rowID).rawValue!
        #expect(throws: FuseError.self) { try tree.filesystem.open(inode, info) }
        do { _ = try tree.filesystem.open(inode, info) } catch let error as FuseError { #expect(error.code == EROFS) }
    }

    @Test func theJSONStatusFileReadsTheStableForm() throws {
        let tree = try TestTree(messageCount: 1)
        let inode = InodeNumber.statusFile(.json).rawValue!
        let opened = try #require(Reply(try tree.filesystem.open(inode, fuse_file_info())).openInfo)
        let bytes = try #require(Reply(try tree.filesystem.read(placeholderRequest, inode, size: 1 << 17, offset: 0, opened)).bytes)
        _ = tree.filesystem.release(inode, opened)
        let status = try CacheStatus.decode(Data(bytes))
        #expect(status.chatCount == 1 && status.pendingSends == 0)
    }

    @Test func theStatusFileReadsTheTextSnapshottedAtOpen() throws {
        let tree = try TestTree(messageCount: 1)
        let inode = InodeNumber.statusFile(.text).rawValue!
        let opened = try #require(Reply(try tree.filesystem.open(inode, fuse_file_info())).openInfo)
        #expect(opened.direct_io == 1)
        #expect(opened.fh != 0)
        let snapshot = try #require(Reply(try tree.filesystem.read(placeholderRequest, inode, size: 1 << 17, offset: 0, opened)).bytes)
        #expect(String(decoding: snapshot, as: UTF8.self) == (try tree.cache.statusText(width: StatusFormat.textWidth)))
        // Later changes do not tear an open reader's text.
        try tree.cache.storeMessages([TestTree.message(2)], chatRowID: tree.chat.rowID)
        #expect(Reply(try tree.filesystem.read(placeholderRequest, inode, size: 1 << 17, offset: 0, opened)).bytes == snapshot)
        _ = tree.filesystem.release(inode, opened)
        guard case .attributes(_, let timeout) = Reply(try tree.filesystem.getattr(inode)) else {
            Issue.record("no attributes")
            return
        }
        #expect(timeout == 0)
    }

    @Test func extendedAttributesCarryTheChatMetadata() throws {
        let tree = try TestTree(messageCount: 1)
        let title = Array(tree.chat.title.utf8)
        #expect(Reply(try tree.filesystem.getxattr(tree.chatInode, name: "user.chatfs.title", size: 0)).size == title.count)
        #expect(Reply(try tree.filesystem.getxattr(tree.chatInode, name: "user.chatfs.title", size: 1024)).bytes == title)
        #expect(Reply(try tree.filesystem.getxattr(tree.chatInode, name: "user.chatfs.unread", size: 1024)).bytes == Array("3".utf8))

        let message = try #require(try tree.messages().first)
        let inode = InodeNumber.messageFile(messageRowID: message.rowID).rawValue!
        #expect(Reply(try tree.filesystem.getxattr(inode, name: "user.chatfs.chat_id", size: 1024)).bytes == Array(tree.chat.id.utf8))
        let names = try #require(Reply(try tree.filesystem.listxattr(inode, size: 1024)).bytes)
        #expect(String(decoding: names, as: UTF8.self).split(separator: "\0").map(String.init)
                == ["user.chatfs.chat_id", "user.chatfs.message_id", "user.chatfs.sequence", "user.chatfs.sender"])
        #expect(throws: FuseError.self) { try tree.filesystem.getxattr(inode, name: "user.chatfs.title", size: 1024) }
    }

    @Test func vanishedRowsAreENOENT() throws {
        let tree = try TestTree(messageCount: 1)
        let gone = InodeNumber.messageFile(messageRowID: 999_999).rawValue!
        do {
            _ = try tree.filesystem.getattr(gone)
            Issue.record("expected ENOENT")
        } catch let error as FuseError {
            #expect(error.code == ENOENT)
        }
    }
}

extension Reply {
    var size: Int? { if case .size(let size) = self { size } else { nil } }
}
