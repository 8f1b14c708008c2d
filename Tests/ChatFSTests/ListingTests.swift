import ChatCache
@testable import ChatFS
import CFuse
import Foundation
import Testing

@Suite struct ListingTests {
    /// Lists a directory the way the kernel does: readdir(plus) calls of `size` bytes, each
    /// resuming at the last entry's offset, until an empty reply.
    func list(_ tree: TestTree, _ inode: UInt64, size: Int = 4096, withAttributes: Bool) throws -> (entries: [ListedEntry], calls: Int) {
        let opened = try #require(Reply(try tree.filesystem.opendir(inode, fuse_file_info())).openInfo)
        defer { _ = tree.filesystem.releasedir(opened) }
        var entries: [ListedEntry] = []
        var offset: Int64 = 0
        var calls = 0
        while calls < 10_000 {
            calls += 1
            let reply = try tree.filesystem.readdir(placeholderRequest, inode, size: size, offset: offset, opened,
                                                   withAttributes: withAttributes)
            let page = decodeDirectoryBuffer(try #require(Reply(reply).bytes), withAttributes: withAttributes)
            guard let last = page.last else { break }
            entries += page
            offset = last.nextOffset
        }
        return (entries, calls)
    }

    @Test(arguments: [false, true])
    func aLongChatListsEveryMessageOnceInOrderAcrossPages(withAttributes: Bool) throws {
        let tree = try TestTree(messageCount: 1_000)
        let (entries, calls) = try list(tree, tree.chatInode, withAttributes: withAttributes)
        let messages = try tree.messages()
        let expected = [".", "..", "media", "outbox", "transcript"] + messages.map(\.fileName)
        #expect(entries.count == expected.count)
        #expect(firstDifference(entries.map(\.name), expected) == nil)
        #expect(calls > 10)  // paged, not one huge reply
        let messageInodes = messages.map { InodeNumber.messageFile(messageRowID: $0.rowID).rawValue! }
        #expect(firstDifference(entries.dropFirst(5).map(\.inode), messageInodes) == nil)
        if withAttributes {
            // Every entry but "." and ".." hands the kernel a lookup reference on its inode.
            #expect(entries.prefix(2).allSatisfy { $0.lookupInode == 0 })
            #expect(entries.dropFirst(2).allSatisfy { $0.lookupInode == $0.inode })
        }
    }

    @Test func resumingFromAnyOffsetContinuesRightAfterThatEntry() throws {
        let tree = try TestTree(messageCount: 50)
        let all = try list(tree, tree.chatInode, withAttributes: true).entries
        for index in [0, 3, 4, 20, 52] {
            let reply = try tree.filesystem.readdir(placeholderRequest, tree.chatInode, size: 4096,
                                                    offset: all[index].nextOffset, fuse_file_info(), withAttributes: true)
            let next = decodeDirectoryBuffer(try #require(Reply(reply).bytes), withAttributes: true)
            #expect(next.first?.name == (index + 1 < all.count ? all[index + 1].name : nil))
        }
    }

    /// The kernel keeps the root's listing and takes its cache version when it asks for
    /// offset 0: a listing taken at opendir could predate an invalidation and be kept as
    /// current (the unread view's test saw that under load). It is taken at that readdir,
    /// and a listing resumed past it keeps it (no chat skipped or repeated).
    @Test func theRootListsTheChatsAsTheyAreAtItsFirstReaddir() throws {
        let tree = try TestTree(messageCount: 1)
        let root = InodeNumber.root.rawValue!
        let opened = try #require(Reply(try tree.filesystem.opendir(root, fuse_file_info())).openInfo)
        _ = try tree.cache.applyChatList([TestTree.chatEntry(id: "a1b2c3d4-0000-4000-8000-000000000001", title: "Printer / broken"),
                                      TestTree.chatEntry(id: "a1b2c3d4-0000-4000-8000-000000000002", title: "Another")])
        let reply = try tree.filesystem.readdir(placeholderRequest, root, size: 4096, offset: 0, opened, withAttributes: false)
        let first = decodeDirectoryBuffer(try #require(Reply(reply).bytes), withAttributes: false)
        #expect(first.map(\.name) == [".", "..", ".chatfs", "unread", "Another", tree.chat.dirName])
        // Resumed after "Another": a chat arriving meanwhile does not shift the listing.
        _ = try tree.cache.applyChatList([TestTree.chatEntry(id: "a1b2c3d4-0000-4000-8000-000000000001", title: "Printer / broken"),
                                      TestTree.chatEntry(id: "a1b2c3d4-0000-4000-8000-000000000002", title: "Another"),
                                      TestTree.chatEntry(id: "a1b2c3d4-0000-4000-8000-000000000003", title: "A first")])
        let resumed = try tree.filesystem.readdir(placeholderRequest, root, size: 4096, offset: first[4].nextOffset, opened,
                                                  withAttributes: false)
        #expect(decodeDirectoryBuffer(try #require(Reply(resumed).bytes), withAttributes: false).map(\.name) == [tree.chat.dirName])
        _ = tree.filesystem.releasedir(opened)
        #expect(try list(tree, root, withAttributes: false).entries.map(\.name)
                == [".", "..", ".chatfs", "unread", "A first", "Another", tree.chat.dirName])
    }
}

/// Where two long lists first differ (index and both elements), or nil: readable failures.
func firstDifference<T: Equatable>(_ actual: [T], _ expected: [T]) -> String? {
    for index in 0..<max(actual.count, expected.count) {
        let left = index < actual.count ? actual[index] : nil
        let right = index < expected.count ? expected[index] : nil
        if left != right { return "at \(index): \(left.map { "\($0)" } ?? "nothing") instead of \(right.map { "\($0)" } ?? "nothing")" }
    }
    return nil
}
