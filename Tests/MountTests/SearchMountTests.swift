import Foundation
import Testing
import TestSupport

/// `chatfs search` on what a real mount cached: the 10,000-message chat, with the server
/// and the mount gone (offline).
@Suite(.serialized, .enabled(if: MountSupport.available, "needs /dev/fuse, fusermount3 and built binaries"))
struct SearchMountTests {
    @Test func findsOldAndNewMessagesOfTheBigHistoryOffline() throws {
        let server = try ReferenceServer.start()
        defer { server.removeFiles() }
        let chatID = try server.chatID(titled: "Big history")
        #expect(try server.post(chatID: chatID, sender: "bob", content: "The quokka ate my keyboard, again.") == 201)
        let mount = try ChatfsMount.start(server: server)
        defer { mount.removeFiles() }

        let chat = mount.path("Big history")
        #expect(try eventually(timeout: 90, interval: 0.5) {
            try run(["ls", chat]).stdout.split(separator: "\n").count == 10_004  // + media, outbox, transcript
        })
        // An old message: the demo's filler messages end "(update #N)".
        var numbered: (file: String, number: Substring)?
        for name in try run(["ls", chat]).stdout.split(separator: "\n").prefix(20) where numbered == nil {
            let body = try run(["cat", "\(chat)/\(name)"]).stdout
            numbered = body.firstMatch(of: /\(update #(\d+)\)/).map { (String(name), $0.1) }
        }
        let (file, number) = try #require(numbered)
        mount.stop()
        server.stop()

        let search = { (arguments: [String]) in try run([Binaries.chatfs, "search"] + arguments + ["--cache-dir", mount.cacheDirectory]) }
        let newest = try search(["quokka keyboard"])
        #expect(newest.status == 0)
        #expect(newest.stdout == "Big history/010001-bob.txt: The [quokka] ate my [keyboard], again.\n")
        let old = try search(["\"update #\(number)\"", "--chat", "Big history", "--limit", "0"])
        #expect(old.stdout.split(separator: "\n").contains { $0.hasPrefix("Big history/\(file): ") })
        #expect(try search(["quokka", "--from", "alice"]).status == 1)
    }
}
