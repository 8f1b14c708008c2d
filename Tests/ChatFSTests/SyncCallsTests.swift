import ChatCache
@testable import ChatFS
import CFuse
import Foundation
import Testing

/// What the tree tells sync, through the `TreeSync` protocol: a lookup in a chat is a
/// visit, reading a message file is an access, and nothing else reaches sync.
@Suite struct SyncCallsTests {
    @Test func aLookupVisitsAndAReadNotesAnAccess() throws {
        let tree = try TestTree(messageCount: 2)
        let filesystem = tree.filesystem
        let entry = try #require(Reply(try filesystem.lookup(parent: tree.chatInode, name: "000001-bob.txt")).entry)
        #expect(tree.sync.log == ["visit \(tree.chat.rowID)"])
        var info = fuse_file_info()
        info.flags = O_RDONLY
        let opened = try #require(Reply(try filesystem.open(entry.ino, info)).openInfo)
        #expect(Reply(try filesystem.read(placeholderRequest, entry.ino, size: 4096, offset: 0, opened)).bytes?.isEmpty == false)
        #expect(tree.sync.log == ["visit \(tree.chat.rowID)", "access \(tree.chat.rowID)"])
        _ = try filesystem.getattr(InodeNumber.root.rawValue!)
        #expect(tree.sync.log.count == 2)
    }

    /// Someone following (`.chatfs/events` open, a transcript stat'ed by `tail -f`) keeps
    /// the mount in use, so what they wait for comes within one short poll.
    @Test func followersKeepTheMountInUse() throws {
        let tree = try TestTree(messageCount: 2)
        let filesystem = tree.filesystem
        var info = fuse_file_info()
        info.flags = O_RDONLY
        let events = InodeNumber.eventsFile.rawValue!
        let opened = try #require(Reply(try filesystem.open(events, info)).openInfo)
        #expect(tree.sync.log == ["following started"])
        _ = filesystem.release(events, opened)
        #expect(tree.sync.log == ["following started", "following ended"])
        _ = try filesystem.getattr(InodeNumber.transcriptFile(chatRowID: tree.chat.rowID).rawValue!)
        #expect(tree.sync.log.last == "access \(tree.chat.rowID)")
    }
}
