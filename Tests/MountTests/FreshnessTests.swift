import Foundation
import Testing
import TestSupport

/// The tree follows the server by itself, and keeps serving when the server fails.
@Suite(.serialized, .enabled(if: MountSupport.available, "needs /dev/fuse, fusermount3 and built binaries"))
struct FreshnessTests {
    static let poll = 1.0

    @Test(arguments: [false, true])
    func aMessageFromBobAppearsWithinTwoPolls(legacy: Bool) throws {
        try withDemoMount(legacy: legacy, poll: Self.poll) { server, mount in
            let chatID = try server.chatID(titled: "VPN / remote access")
            let dir = mount.path("VPN ／ remote access")
            let before = try run(["ls", dir]).stdout.split(separator: "\n").count
            #expect(try server.post(chatID: chatID, sender: "bob", content: "Try profile 2 < 3 & reconnect > now") == 201)
            let started = Date()
            let appeared = try eventually(timeout: 2 * Self.poll + 1.5, interval: 0.05) {
                try run(["ls", dir]).stdout.split(separator: "\n").count == before + 1
            }
            #expect(appeared, "after \(Date().timeIntervalSince(started)) s")
            let newest = try #require(try run(["ls", dir]).stdout.split(separator: "\n").filter { $0.hasSuffix("-bob.txt") }.last)
            let text = try run(["cat", dir + "/" + newest]).stdout
            #expect(text.hasSuffix("\n\nTry profile 2 < 3 & reconnect > now\n"))
        }
    }

    /// An idle mount's polls of an unchanged list are 304s on the delta generation (no
    /// body on the wire); the deployed generation has no conditional form.
    @Test(arguments: [false, true])
    func pollsOfAnUnchangedListAreAnswered304(legacy: Bool) throws {
        try withDemoMount(legacy: legacy, poll: Self.poll) { server, mount in
            let list = "GET /chat/page-data"
            _ = try run(["ls", mount.mountPoint])
            let before = try server.requestCounts()
            let polled = try eventually(timeout: 10 * Self.poll + 5) {
                try server.requestCounts().received[list, default: 0] >= before.received[list, default: 0] + 4
            }
            #expect(polled, "the mount stopped polling")
            let after = try server.requestCounts()
            let polls = after.received[list, default: 0] - before.received[list, default: 0]
            let notModified = after.notModified[list, default: 0] - before.notModified[list, default: 0]
            if legacy {
                #expect(notModified == 0)
            } else {
                // One poll may still be in flight when the counters are read.
                #expect(notModified >= polls - 1, "\(notModified) of \(polls) polls answered 304")
            }
        }
    }

    @Test func aChatCreatedOnTheServerAppears() throws {
        try withDemoMount(poll: Self.poll) { server, mount in
            _ = try run(["ls", mount.mountPoint])
            _ = try server.createChat(title: "Laptop fan is loud")
            let appeared = try eventually(timeout: 2 * Self.poll + 1.5, interval: 0.05) {
                try run(["ls", mount.mountPoint]).stdout.split(separator: "\n").contains("Laptop fan is loud")
            }
            #expect(appeared)
            let listing = try run(["ls", mount.path("Laptop fan is loud")]).stdout
            #expect(listing.contains("000001-alice.txt"))
        }
    }

    @Test func theFirstVisitOfANeverSyncedChatIsNeverEmpty() throws {
        try withDemoMount { _, mount in
            let chats = try run(["ls", mount.mountPoint]).stdout.split(separator: "\n").filter { $0 != "unread" }
            #expect(chats.count >= 20)
            for chat in chats {
                // The very first look inside waits for the newest page: never an empty listing.
                let listing = try run(["ls", mount.path(String(chat))])
                #expect(listing.succeeded, "\(chat): \(listing.stderr)")
                #expect(listing.stdout.contains(".txt"), "first visit of \(chat)")
            }
        }
    }

    @Test func oneFailingChatDoesNotBreakTheOthers() throws {
        let server = try ReferenceServer.start()
        defer { server.stop() }
        let broken = try server.chatID(titled: "VPN / remote access")
        try server.injectFault(["pathContains": "/chat/messages/request/\(broken)", "action": "status", "status": 500])
        let mount = try ChatfsMount.start(server: server)
        defer { mount.stop() }
        let brokenListing = try run(["ls", mount.path("VPN ／ remote access")])
        #expect(brokenListing.succeeded)  // listed (empty), not an error that breaks `ls -R`
        for chat in try server.chats().prefix(6) where chat.id != broken && !chat.title.contains("/") && chat.title.utf8.count < 200 {
            let listing = try run(["ls", mount.path(chat.title)]).stdout
            #expect(listing.contains("000001-"), "\(chat.title) still browses")
        }
        let status = try run(["cat", mount.path(".chatfs/status")]).stdout
        #expect(status.contains("500"))
    }

    @Test func cachedChatsBrowseOfflineAfterARemount() throws {
        let server = try ReferenceServer.start()
        let cache = try makeTemporaryDirectory("chatfs-cache")
        let online = try ChatfsMount.start(server: server, cacheDirectory: cache)
        let before = try { () throws -> String in
            defer { online.stop() }
            return try run(["cat"] + (try run(["ls", online.path("VPN ／ remote access")]).stdout.split(separator: "\n")
                .filter { $0.hasSuffix(".txt") }.map { online.path("VPN ／ remote access/\($0)") })).stdout
        }()
        server.stop()
        let offline = try ChatfsMount.start(serverURL: server.url, cacheDirectory: cache)
        defer { offline.stop() }
        let names = try run(["ls", offline.mountPoint]).stdout
        #expect(names.contains("Big history"))
        let files = try run(["ls", offline.path("VPN ／ remote access")]).stdout.split(separator: "\n").filter { $0.hasSuffix(".txt") }
        let after = try run(["cat"] + files.map { offline.path("VPN ／ remote access/\($0)") }).stdout
        #expect(!before.isEmpty)
        #expect(after == before)
    }
}
