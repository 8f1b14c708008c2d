import ChatCache
@testable import ChatFS
import CFuse
import Foundation
import Testing

/// `.chatfs/search/<query>/`, `unread/` and `<chat>/media` through the handlers, over a
/// real cache (docs/design.md "Walk rules").
@Suite struct ViewsHandlerTests {
    let control = InodeNumber.controlDirectory.rawValue!

    func lookup(_ tree: TestTree, _ parent: UInt64, _ name: String) throws -> fuse_entry_param {
        try #require(Reply(try tree.filesystem.lookup(parent: parent, name: name)).entry)
    }

    func names(_ tree: TestTree, _ inode: UInt64) throws -> [String] {
        try ListingTests().list(tree, inode, withAttributes: true).entries.map(\.name)
    }

    func link(_ tree: TestTree, _ inode: UInt64) throws -> String? {
        if case .link(let target) = try tree.filesystem.readlink(inode) { return target }
        return nil
    }

    @Test func aQueryDirectoryListsItsMatchesAsLinksToTheMessageFiles() throws {
        let tree = try TestTree(messageCount: 30)
        let search = try lookup(tree, control, "search")
        #expect(search.ino == InodeNumber.searchDirectory.rawValue)
        let query = try lookup(tree, search.ino, "message 12")
        #expect(query.attr.st_mode & S_IFMT == S_IFDIR)
        #expect(query.entry_timeout == 0)  // results are computed at every visit

        let message = try #require(try tree.messages().first { $0.sequence == 12 })
        let name = "\(tree.chat.dirName) – \(message.fileName)"
        #expect(try names(tree, query.ino) == [".", "..", name])
        let result = try lookup(tree, query.ino, name)
        #expect(result.attr.st_mode & S_IFMT == S_IFLNK)
        #expect(try link(tree, result.ino) == "../../../\(tree.chat.dirName)/\(message.fileName)")
        // A message that does not match is not in the directory, even by its exact name.
        let other = try #require(try tree.messages().first { $0.sequence == 13 })
        #expect(try lookup(tree, query.ino, "\(tree.chat.dirName) – \(other.fileName)").ino == 0)
        // The same query gets the same directory.
        #expect(try lookup(tree, search.ino, "message 12").ino == query.ino)
    }

    @Test func aQueryWithNothingToLookForIsEINVAL() throws {
        let tree = try TestTree(messageCount: 3)
        let search = try lookup(tree, control, "search")
        for name in ["\"", "\" \""] {
            #expect(MediaHandlerTests().errorCode { try tree.filesystem.lookup(parent: search.ino, name: name) } == EINVAL)
        }
    }

    @Test func aDroppedQueryAnswersENOENT() throws {
        let tree = try TestTree(messageCount: 3)
        let search = try lookup(tree, control, "search")
        let first = try lookup(tree, search.ino, "message")
        for index in 0..<SearchRegistry.capacity { _ = try lookup(tree, search.ino, "word\(index)") }
        #expect(throws: FuseError.self) { try tree.filesystem.getattr(first.ino) }
        #expect(throws: FuseError.self) { try tree.filesystem.opendir(first.ino, fuse_file_info()) }
    }

    @Test func searchAndMediaAreLookedUpButNeverListed() throws {
        let tree = try TestTree(messageCount: 1)
        #expect(try names(tree, control) == [".", "..", "status", "status.json"])
        #expect(try lookup(tree, control, "media").ino == InodeNumber.mediaRoot.rawValue)
        #expect(try names(tree, try lookup(tree, control, "search").ino) == [".", ".."])
        #expect(try names(tree, InodeNumber.mediaRoot.rawValue!) == [".", ".."])
    }

    @Test func aChatsMediaIsALinkToItsDirectoryInTheControlDirectory() throws {
        let tree = try TestTree(messageCount: 1)
        let media = try lookup(tree, tree.chatInode, "media")
        #expect(media.attr.st_mode & S_IFMT == S_IFLNK)
        let target = try #require(try link(tree, media.ino))
        #expect(target == "../.chatfs/media/\(tree.chat.rowID)")
        let directory = try lookup(tree, InodeNumber.mediaRoot.rawValue!, String(tree.chat.rowID))
        #expect(directory.ino == InodeNumber.mediaDirectory(chatRowID: tree.chat.rowID).rawValue)
        #expect(directory.attr.st_mode & S_IFMT == S_IFDIR)
        #expect(try lookup(tree, InodeNumber.mediaRoot.rawValue!, "0\(tree.chat.rowID)").ino == 0)
        #expect(try lookup(tree, InodeNumber.mediaRoot.rawValue!, "999").ino == 0)
    }

    @Test func unreadListsChatsWithUnreadMessagesUntilMarkedRead() throws {
        let tree = try TestTree(messageCount: 1)  // its chat has 3 unread
        let unread = try lookup(tree, InodeNumber.root.rawValue!, "unread")
        #expect(try names(tree, unread.ino) == [".", "..", tree.chat.dirName])
        let entry = try lookup(tree, unread.ino, tree.chat.dirName)
        #expect(try link(tree, entry.ino) == "../\(tree.chat.dirName)")
        #expect(entry.entry_timeout == 0)

        try tree.cache.requestMarkRead(chatID: tree.chat.id)
        #expect(try names(tree, unread.ino) == [".", ".."])
        #expect(try lookup(tree, unread.ino, tree.chat.dirName).ino == 0)
        #expect(throws: FuseError.self) { try tree.filesystem.getattr(entry.ino) }
    }
}

/// `tar` of the mount compares a file's times before and after reading it.
@Suite struct StatusFileTimeTests {
    @Test func theStatusFileKeepsItsTimeUntilSomethingChanges() throws {
        let tree = try TestTree(messageCount: 1)
        let inode = InodeNumber.statusFile(.json).rawValue!
        func mtime() throws -> timespec {
            guard case .attributes(let attributes, _) = Reply(try tree.filesystem.getattr(inode)) else { throw FuseError(EIO) }
            return attributes.st_mtim
        }
        let first = try mtime()
        // `Date()` has sub-microsecond resolution: two stats would differ if it were their time.
        let second = try mtime()
        #expect(first.tv_sec == second.tv_sec && first.tv_nsec == second.tv_nsec)
    }
}
