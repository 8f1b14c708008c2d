import Foundation
import Testing
import TestSupport

/// A technician's mount (issue 8): the queue views as directories of symlinks to one chat
/// directory per chat, triage xattrs, taking a ticket with `mv`, and the outbox of a solved
/// chat refusing at close(). Bob is a technician of the demo's IT Helpdesk (docs/api.md,
/// "Bob's queues"); alice is a requester.
@Suite(.serialized, .enabled(if: MountSupport.available, "needs /dev/fuse, fusermount3 and built binaries"))
struct TechnicianTests {
    /// Every view: its wire name, its key in `counts`, and its directory under `queues/`.
    static let views: [(wire: String, count: String, directory: String)] = [
        ("unassigned", "unassigned", "unassigned"),
        ("all_unsolved", "allUnsolved", "all-unsolved"),
        ("my_unsolved", "myUnsolved", "my-unsolved"),
        ("recently_updated", "recentlyUpdated", "recently-updated"),
        ("recently_solved", "recentlySolved", "recently-solved"),
        ("all_your_requests", "allYourRequests", "all-your-requests"),
        ("urgent_high_priority", "urgentHighPriority", "urgent-high-priority"),
        ("pending_requester_response", "pendingRequesterResponse", "pending-requester-response"),
        ("pending_subtask", "pendingSubtask", "pending-subtask"),
        ("new_today", "newToday", "new-today"),
        ("in_progress", "inProgress", "in-progress"),
        ("all_tickets", "allTickets", "all-tickets"),
        ("all_solved", "allSolved", "all-solved"),
    ]
    /// The views whose members are chat directories as soon as the mount is live.
    static let viewsAtMount = ["unassigned", "my_unsolved", "all_unsolved", "all_your_requests", "recently_updated"]

    /// Alice's, Open, Medium, Hardware/Phone, nobody assigned: in bob's unassigned view.
    static let unassignedTitle = "Phone: voicemail not working"
    /// Alice's, Open, no category, nobody assigned: in bob's unassigned view.
    static let otherUnassignedTitle = "Email signature update"
    /// Alice's, In Progress, High, Software/VPN, assigned to bob: in my-unsolved, urgent-high-priority...
    static let mineTitle = "VPN / remote access"
    static let mineDirectory = "VPN ／ remote access"
    /// Alice's, Urgent, assigned to bob: another chat in several of bob's views.
    static let otherMineTitle = "Access to <shared> folder & reports"
    /// Grace's, Closed, assigned to bob: in bob's all-solved and all-your-requests.
    static let closedForBob = "VPN access for a contractor"
    /// Alice's only solved chat (Solved, assigned to bob).
    static let solvedForAlice = "Password reset"

    // MARK: Helpers

    /// A demo server and `user`'s mount; both stopped and their temporary folders removed on
    /// every path.
    func withMount<T>(user: String = "bob", legacy: Bool = false, poll: Double = 1,
                      _ body: (ReferenceServer, ChatfsMount) throws -> T) throws -> T {
        let server = try ReferenceServer.start(legacy: legacy)
        defer { server.removeFiles() }
        let mount = try ChatfsMount.start(server: server, user: user, poll: poll)
        defer { mount.removeFiles() }
        return try body(server, mount)
    }

    func listing(_ directory: String) throws -> [String] {
        try run(["ls", "-A", directory]).stdout.split(separator: "\n").map(String.init)
    }

    /// An xattr's value (following symlinks, as getfattr does by default), nil when getfattr fails.
    func xattr(_ name: String, _ path: String) throws -> String? {
        let result = try run(["getfattr", "--only-values", "-n", name, path])
        return result.succeeded ? result.stdout : nil
    }

    /// "In Progress", "in progress", "in-progress" and "in_progress" are the same status.
    func normalized(_ text: String?) -> String? {
        text?.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
            .replacingOccurrences(of: "-", with: " ").replacingOccurrences(of: "_", with: " ")
    }

    /// What a directory of the mount holds, read in one process (lstat, readlink, getxattr).
    struct Entry {
        var isSymlink: Bool
        var target: String?
        /// `user.chatfs.chat_id` of the entry, through the link: nil for .chatfs, queues/...
        var chatID: String?
    }

    func entries(of directory: String) throws -> [String: Entry] {
        let script = """
            import json, os, sys
            d = sys.argv[1]
            out = {}
            for name in os.listdir(d):
                p = os.path.join(d, name)
                e = {"link": os.path.islink(p)}
                if e["link"]:
                    e["target"] = os.readlink(p)
                try:
                    e["id"] = os.getxattr(p, "user.chatfs.chat_id").decode()
                except OSError:
                    pass
                out[name] = e
            print(json.dumps(out))
            """
        let result = try run(["python3", "-c", script, directory])
        guard result.succeeded, let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: [String: Any]] else {
            throw TestSupportError.unexpectedAnswer(Int(result.status), "entries of \(directory): \(result.stderr)")
        }
        return object.mapValues { Entry(isSymlink: $0["link"] as? Bool ?? false, target: $0["target"] as? String, chatID: $0["id"] as? String) }
    }

    /// The chat ids of the chat directories at the mount's root.
    func rootChatIDs(_ mount: ChatfsMount) throws -> Set<String> {
        Set(try entries(of: mount.mountPoint).values.compactMap(\.chatID))
    }

    /// `chatfs sync`: waits until every queued message and take is handled.
    @discardableResult
    func sync(_ mount: ChatfsMount) throws -> CommandResult {
        try run([Binaries.chatfs, "sync", mount.mountPoint], timeout: 90)
    }

    /// `user.chatfs.count` of a view directory.
    func count(of view: String) throws -> Int? {
        try xattr("user.chatfs.count", view).flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }

    /// A listing for a failure message.
    func shown(_ directory: String) -> String {
        ((try? listing(directory)) ?? []).joined(separator: ", ")
    }

    func messageCount(_ directory: String) throws -> Int {
        try listing(directory).filter { $0.hasSuffix(".txt") }.count
    }

    // MARK: Requester

    @Test func aRequesterMountHasNoQueuesAndShowsEachChatsStatus() throws {
        try withMount(user: "alice") { _, mount in
            let root = try listing(mount.mountPoint)
            #expect(root.contains(Self.mineDirectory))
            #expect(!root.contains("queues"))
            let queues = try run(["ls", mount.path("queues")])
            #expect(!queues.succeeded)
            #expect(queues.stderr.contains("No such file or directory"), "\(queues.stderr)")
            #expect(normalized(try xattr("user.chatfs.status", mount.path(Self.mineDirectory))) == "in progress")
            #expect(normalized(try xattr("user.chatfs.status", mount.path(Self.solvedForAlice))) == "solved")
        }
    }

    // MARK: The queue views

    @Test(arguments: [false, true])
    func theQueuesAreDirectoriesOfSymlinksWithTheServersMembersAndCounts(legacy: Bool) throws {
        try withMount(legacy: legacy) { server, mount in
            let queues = mount.path("queues")
            let root = try listing(mount.mountPoint)
            #expect(root.contains("queues"), "root: \(root)")
            #expect(root.contains(".chatfs"))
            #expect(Set(try listing(queues)) == Set(Self.views.map(\.directory)))

            // At mount, the root holds the chats of the views a technician works from, and
            // bob's own requests (he is a requester too).
            var expectedAtMount = Set(try server.chats(of: "bob").map(\.id))
            #expect(!expectedAtMount.isEmpty)
            for view in Self.viewsAtMount { expectedAtMount.formUnion(try server.technicianView(view).ids) }
            var missing = Set<String>()
            let complete = try eventually(timeout: 5) {
                missing = expectedAtMount.subtracting(try rootChatIDs(mount))
                return missing.isEmpty
            }
            #expect(complete, "chats missing at the root: \(missing)")

            // Each view directory counts what the server counts, without being listed.
            let counts = try server.technicianView("unassigned").counts
            #expect(counts["unassigned"] == 13 && counts["myUnsolved"] == 7 && counts["allSolved"] == 4, "demo desk: \(counts)")
            for view in Self.views {
                #expect(try count(of: queues + "/" + view.directory) == counts[view.count], "count of \(view.directory)")
            }

            // Its entries are symlinks named like the chat's directory, to ../../<chat>, and
            // lead to exactly the server's members; listing a view not fetched at mount
            // (all-solved) fetches it, and its chats become chat directories too.
            for view in ["unassigned", "my_unsolved", "all_solved"] {
                let directory = queues + "/" + view.replacingOccurrences(of: "_", with: "-")
                let members = try entries(of: directory)
                #expect(Set(members.values.compactMap(\.chatID)) == Set(try server.technicianView(view).ids), "members of \(view)")
                for (name, entry) in members {
                    #expect(entry.isSymlink, "\(view)/\(name) is a symlink")
                    #expect(entry.target == "../../" + name, "\(view)/\(name) points to its chat directory")
                }
                let rootNames = Set(try listing(mount.mountPoint))
                #expect(Set(members.keys).isSubset(of: rootNames), "\(view): every member is a chat directory at the root")
            }

            // Standard tools through the links.
            let unassigned = queues + "/unassigned"
            #expect(try listing(unassigned).contains(Self.unassignedTitle))
            let link = unassigned + "/" + Self.unassignedTitle
            #expect(try run(["readlink", link]).stdout == "../../\(Self.unassignedTitle)\n")
            let files = try listing(link + "/")
            #expect(files.contains("outbox") && files.contains("media"))
            let first = try #require(files.first { $0.hasPrefix("000001-") }, "\(files)")
            #expect(try run(["cat", link + "/" + first]).stdout.hasSuffix("\n\n\(Self.unassignedTitle)\n"))
            let outboxes = try run(["find", "-L", queues + "/my-unsolved", "-mindepth", "2", "-maxdepth", "2", "-name", "outbox"])
            #expect(outboxes.stdout.split(separator: "\n").count == counts["myUnsolved"], "\(outboxes.stdout)\(outboxes.stderr)")

            // Queue sizes in .chatfs/status (a line per queue) and in `chatfs status --json`.
            let status = try run(["cat", mount.path(".chatfs/status")]).stdout
            let statusLines = status.split(separator: "\n").map {
                Set($0.split(whereSeparator: { " \t:=,()".contains($0) }).map(String.init))
            }
            for view in Self.views {
                let count = try #require(counts[view.count])
                #expect(statusLines.contains { $0.contains(view.directory) && $0.contains(String(count)) },
                        "a line for \(view.directory) with \(count) in:\n\(status)")
            }
            let json = try run([Binaries.chatfs, "status", "--json", "--cache-dir", mount.cacheDirectory])
            #expect(json.succeeded, "\(json.stderr)")
            let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
            let listed = (object?["queues"] as? [[String: Any]] ?? []).reduce(into: [String: Int]()) {
                if let name = $1["name"] as? String, let count = $1["count"] as? Int { $0[name] = count }
            }
            #expect(listed == Dictionary(uniqueKeysWithValues: Self.views.compactMap { view in
                counts[view.count].map { (view.directory, $0) }
            }), "queues in chatfs status --json")
        }
    }

    @Test func chatDirectoriesCarryWhatATechnicianTriagesBy() throws {
        try withMount { server, mount in
            let tickets = try server.technicianView("all_tickets")
            let mine = try #require(tickets.item(titled: Self.mineTitle))
            let chat = mount.path(Self.mineDirectory)
            #expect(normalized(try xattr("user.chatfs.status", chat)) == "in progress")
            #expect(normalized(try xattr("user.chatfs.priority", chat)) == "high")
            let due = try #require(mine["dueDate"] as? String)
            let dueDate = try xattr("user.chatfs.due_date", chat)
            #expect(dueDate?.hasPrefix(String(due.prefix(10))) == true, "due \(due), xattr \(dueDate ?? "none")")
            #expect(try xattr("user.chatfs.requester", chat)?.lowercased().contains("alice") == true)
            #expect(try xattr("user.chatfs.business_unit", chat) == "IT Helpdesk")
            #expect(try xattr("user.chatfs.category", chat)?.contains("Software") == true)
            #expect(try xattr("user.chatfs.assigned_to_me", chat) == "1")
            let unread = try #require(mine["technicianHasUnread"] as? Bool)
            #expect(try xattr("user.chatfs.technician_unread", chat) == (unread ? "1" : "0"))

            let phone = mount.path(Self.unassignedTitle)
            let phoneItem = try #require(tickets.item(titled: Self.unassignedTitle))
            #expect(normalized(try xattr("user.chatfs.status", phone)) == "open")
            #expect(normalized(try xattr("user.chatfs.priority", phone)) == "medium")
            #expect(try xattr("user.chatfs.category", phone)?.contains("Hardware") == true)
            #expect(try xattr("user.chatfs.assigned_to_me", phone) == "0")
            let phoneUnread = try #require(phoneItem["technicianHasUnread"] as? Bool)
            #expect(try xattr("user.chatfs.technician_unread", phone) == (phoneUnread ? "1" : "0"))
            // No category on the server: no attribute.
            #expect(try xattr("user.chatfs.category", mount.path(Self.otherUnassignedTitle)) == nil)
            #expect(try xattr("user.chatfs.business_unit", mount.path(Self.otherUnassignedTitle)) == "IT Helpdesk")
        }
    }

    // MARK: Taking a ticket

    @Test(arguments: [false, true])
    func movingAnUnassignedChatIntoMyUnsolvedTakesIt(legacy: Bool) throws {
        try withMount(legacy: legacy) { server, mount in
            let chatID = try server.chatID(inView: "unassigned", titled: Self.unassignedTitle)
            let otherID = try server.chatID(inView: "unassigned", titled: Self.otherUnassignedTitle)
            let unassigned = mount.path("queues/unassigned"), mine = mount.path("queues/my-unsolved")
            try #require(try listing(unassigned).contains(Self.unassignedTitle), "queues/unassigned: \(shown(unassigned))")

            let move = try run(["mv", unassigned + "/" + Self.unassignedTitle, mine + "/"])
            #expect(move.succeeded, "\(move.stderr)")
            let barrier = try sync(mount)
            #expect(barrier.succeeded, "\(barrier.stdout)\(barrier.stderr)")
            #expect(try server.technicianView("my_unsolved").ids.contains(chatID))
            #expect(try !server.technicianView("unassigned").ids.contains(chatID))

            // The tree follows within a poll or two.
            let moved = try eventually(timeout: 6) {
                try listing(mine).contains(Self.unassignedTitle) && !listing(unassigned).contains(Self.unassignedTitle)
            }
            #expect(moved, "unassigned: \(shown(unassigned)); my-unsolved: \(shown(mine))")
            let counts = try server.technicianView("unassigned").counts
            #expect(try eventually(timeout: 6) {
                try count(of: unassigned) == counts["unassigned"] && count(of: mine) == counts["myUnsolved"]
            })
            #expect(try eventually(timeout: 6) { try xattr("user.chatfs.assigned_to_me", mount.path(Self.unassignedTitle)) == "1" })
            #expect(try listing(mount.path(Self.unassignedTitle + "/outbox")).isEmpty)

            // Every other gesture on a queue entry is refused, and changes nothing.
            let other = unassigned + "/" + Self.otherUnassignedTitle
            let attempts: [(String, [String])] = [
                ("into another view", ["mv", other, mount.path("queues/all-tickets") + "/"]),
                ("renamed in its view", ["mv", other, unassigned + "/renamed"]),
                ("back to unassigned", ["mv", mine + "/" + Self.unassignedTitle, unassigned + "/"]),
                ("from my-unsolved elsewhere", ["mv", mine + "/" + Self.mineDirectory, mount.path("queues/all-solved") + "/"]),
            ]
            for (what, command) in attempts {
                let result = try run(command)
                #expect(!result.succeeded, "mv \(what)")
                #expect(result.stderr.contains("Operation not permitted"), "mv \(what): \(result.stderr)")
            }
            let rm = try run(["rm", other])
            #expect(!rm.succeeded, "rm of a queue entry")
            #expect(try listing(unassigned).contains(Self.otherUnassignedTitle))
            #expect(try sync(mount).succeeded)
            #expect(try server.technicianView("unassigned").ids.contains(otherID))
            #expect(try server.technicianView("my_unsolved").ids.contains(chatID))
        }
    }

    @Test(arguments: [false, true])
    func aTakeMadeOfflineIsSentOnceWhenTheServerIsBack(legacy: Bool) throws {
        let original = try ReferenceServer.start(legacy: legacy)
        var server = original
        defer {
            server.removeFiles()  // the restarted one: its logs (the database folder is original's)
            original.removeFiles()
        }
        let mount = try ChatfsMount.start(server: server, user: "bob")
        defer { mount.removeFiles() }
        let chatID = try server.chatID(inView: "unassigned", titled: Self.unassignedTitle)
        let unassigned = mount.path("queues/unassigned"), mine = mount.path("queues/my-unsolved")
        try #require(try listing(unassigned).contains(Self.unassignedTitle), "queues/unassigned: \(shown(unassigned))")
        _ = try listing(mine)
        _ = try listing(mount.path(Self.unassignedTitle))

        server.stop()
        let move = try run(["mv", unassigned + "/" + Self.unassignedTitle, mine + "/"])
        #expect(move.succeeded, "offline: \(move.stderr)")
        #expect(try listing(mine).contains(Self.mineDirectory), "the queues still list offline")

        server = try server.restarted()
        let barrier = try sync(mount)
        #expect(barrier.succeeded, "\(barrier.stdout)\(barrier.stderr)")
        #expect(try server.technicianView("my_unsolved").ids.contains(chatID))
        #expect(try !server.technicianView("unassigned").ids.contains(chatID))
        let moved = try eventually(timeout: 10) {
            try listing(mine).contains(Self.unassignedTitle) && !listing(unassigned).contains(Self.unassignedTitle)
        }
        #expect(moved, "unassigned: \(shown(unassigned)); my-unsolved: \(shown(mine))")
        // Sent exactly once: a second take would have been refused ("already assigned") and
        // left take-ticket.failed behind.
        #expect(try listing(mount.path(Self.unassignedTitle + "/outbox")).isEmpty)
    }

    @Test func aTakeRefusedBecauseAnotherTechnicianTookItFirstShowsAsFailed() throws {
        // A long poll: the unassigned view bob listed stays as it was while erin takes the chat.
        try withMount(poll: 60) { server, mount in
            let chatID = try server.chatID(inView: "unassigned", titled: Self.unassignedTitle)
            let unassigned = mount.path("queues/unassigned")
            #expect(try listing(unassigned).contains(Self.unassignedTitle))

            let erin = try server.take(chatID: chatID, user: "erin")
            #expect(erin.status == 200, "erin's take: \(erin.body)")
            let move = try run(["mv", unassigned + "/" + Self.unassignedTitle, mount.path("queues/my-unsolved") + "/"])
            #expect(move.succeeded, "queued like a message: \(move.stderr)")
            _ = try sync(mount)  // the barrier; it reports the failure

            let outbox = mount.path(Self.unassignedTitle + "/outbox")
            let failed = outbox + "/take-ticket.failed"
            #expect(try eventually(timeout: 10) { try listing(outbox).contains("take-ticket.failed") }, "outbox: \(shown(outbox))")
            let error = try xattr("user.chatfs.last_error", failed)
            #expect(error?.contains("already assigned") == true, "last_error: \(error ?? "none")")
            #expect(try run(["rm", failed]).succeeded)
            #expect(try !listing(outbox).contains("take-ticket.failed"))

            #expect(try server.technicianView("my_unsolved", user: "erin").ids.contains(chatID))
            #expect(try !server.technicianView("all_your_requests").ids.contains(chatID))
        }
    }

    // MARK: Working a chat

    @Test(arguments: [false, true])
    func aQueuedChatCarriesTheConversationBothWays(legacy: Bool) throws {
        let poll = 1.0
        try withMount(legacy: legacy, poll: poll) { server, mount in
            let chatID = try server.chatID(inView: "unassigned", titled: Self.unassignedTitle)
            let chat = mount.path(Self.unassignedTitle)
            let before = try messageCount(chat)
            try #require(before > 0, "bob's tree has no \(Self.unassignedTitle): \(shown(mount.mountPoint))")

            // The requester writes: bob sees it within two polls.
            let question = "Voicemail still says the box is full < 3 & > 0 (\(legacy ? "legacy" : "delta"))"
            #expect(try server.post(chatID: chatID, sender: "alice", content: question) == 201)
            let started = Date()
            let appeared = try eventually(timeout: 2 * poll + 1.5, interval: 0.05) { try messageCount(chat) == before + 1 }
            #expect(appeared, "after \(Date().timeIntervalSince(started)) s")
            let newest = try #require(try listing(chat).filter { $0.hasSuffix("-alice.txt") }.last)
            #expect(try run(["cat", chat + "/" + newest]).stdout.hasSuffix("\n\n\(question)\n"))

            // bob answers through the outbox: the requester gets it once.
            let reply = "Cleared the mailbox, please try again (\(legacy ? "legacy" : "delta"))"
            let write = try run(["sh", "-c", "echo \"$2\" > \"$1/outbox/r.txt\"", "sh", chat, reply])
            #expect(write.succeeded, "\(write.stderr)")
            let barrier = try sync(mount)
            #expect(barrier.succeeded, "\(barrier.stdout)\(barrier.stderr)")
            let seenByAlice = try server.messages(chatID: chatID, user: "alice").filter { $0["content"] as? String == reply }
            #expect(seenByAlice.count == 1)
            #expect((seenByAlice.first?["sender"] as? [String: Any])?["username"] as? String == "bob")
            #expect(try eventually { try listing(chat + "/outbox").isEmpty && listing(chat).contains { $0.hasSuffix("-bob.txt") } })
        }
    }

    @Test func grepOverTheTechnicianMountFindsEachMessageOnce() throws {
        try withMount { server, mount in
            // A phrase in two chats that are each in several of bob's views (my-unsolved,
            // all-unsolved, all-your-requests, urgent-high-priority, in-progress, all-tickets...).
            let phrase = "zebra-crossing-4711"
            let vpn = try server.chatID(inView: "my_unsolved", titled: Self.mineTitle)
            let shared = try server.chatID(inView: "my_unsolved", titled: Self.otherMineTitle)
            #expect(try server.post(chatID: vpn, sender: "alice", content: "first \(phrase)") == 201)
            #expect(try server.post(chatID: vpn, sender: "bob", content: "second \(phrase)") == 201)
            #expect(try server.post(chatID: shared, sender: "alice", content: "third \(phrase)") == 201)
            let onServer = try [vpn, shared].map { id in
                try server.messages(chatID: id, user: "bob").filter { ($0["content"] as? String)?.contains(phrase) == true }.count
            }.reduce(0, +)
            #expect(onServer == 3)
            // Every view listed, so each of those chats is linked from several view directories.
            for view in Self.views { _ = try listing(mount.path("queues/" + view.directory)) }
            let links = try run(["find", mount.path("queues"), "-type", "l", "-name", Self.mineDirectory]).stdout
            try #require(links.split(separator: "\n").count >= 3, "links to \(Self.mineDirectory): \(links)")

            func grepCount() throws -> (total: Int, files: [String]) {
                let grep = try run(["grep", "-rcF", phrase, mount.mountPoint], timeout: 180)
                var total = 0
                var files: [String] = []
                for line in grep.stdout.split(separator: "\n") {
                    guard let colon = line.lastIndex(of: ":"), let count = Int(line[line.index(after: colon)...]) else { continue }
                    total += count
                    if count > 0 { files.append(String(line[..<colon])) }
                }
                return (total, files)
            }
            var found = (total: 0, files: [String]())
            // The polls bring the new messages in; a grep following the links would count more.
            _ = try eventually(timeout: 10, interval: 1) {
                found = try grepCount()
                return found.total >= onServer
            }
            #expect(found.total == onServer, "\(found.files)")
            #expect(found.files.allSatisfy { !$0.contains("/queues/") && !$0.contains("/unread/") }, "\(found.files)")
            #expect(found.files.count == onServer)
        }
    }

    // MARK: Solved and closed chats

    @Test(arguments: [("bob", TechnicianTests.closedForBob), ("alice", TechnicianTests.solvedForAlice)])
    func theOutboxOfASolvedOrClosedChatRefusesAtCloseAndSendsNothing(user: String, solvedTitle: String) throws {
        try withMount(user: user) { server, mount in
            let solvedID = try user == "bob"
                ? server.chatID(inView: "all_solved", titled: solvedTitle) : server.chatID(titled: solvedTitle)
            let reopenedLater = try server.chatID(titled: Self.otherUnassignedTitle)  // alice's, Open
            let chat = mount.path(solvedTitle)
            #expect(["solved", "closed"].contains(normalized(try xattr("user.chatfs.status", chat))))
            let before = try server.messages(chatID: solvedID, user: "bob").count

            // echo ignores close(): the refusal stays visible as x.txt.refused, with its reason.
            _ = try run(["sh", "-c", "echo hi > \"$1/outbox/x.txt\"", "sh", chat])
            let outbox = chat + "/outbox"
            #expect(try eventually(timeout: 5) { try listing(outbox).contains("x.txt.refused") }, "outbox: \(shown(outbox))")
            let reason = try xattr("user.chatfs.last_error", outbox + "/x.txt.refused")?.lowercased() ?? ""
            #expect(reason.contains("solved") || reason.contains("closed"), "reason: \(reason)")
            // cp checks close(): it fails.
            let local = try makeTemporaryDirectory("chatfs-solved")
            defer { try? FileManager.default.removeItem(atPath: local) }
            _ = FileManager.default.createFile(atPath: local + "/note.txt", contents: Data("a note\n".utf8))
            let copy = try run(["cp", local + "/note.txt", outbox + "/"])
            #expect(!copy.succeeded)
            #expect(copy.stderr.contains("Operation not permitted"), "\(copy.stderr)")

            // A chat solved on the server while mounted refuses too, once the mount knows.
            let open = mount.path(Self.otherUnassignedTitle)
            _ = try listing(open)
            try server.setStatus(chatID: reopenedLater, "Closed")
            let known = try eventually(timeout: 6) { try normalized(xattr("user.chatfs.status", open)) == "closed" }
            #expect(known, "status: \(((try? xattr("user.chatfs.status", open)) ?? nil) ?? "none")")
            if known {
                _ = try run(["sh", "-c", "echo hi > \"$1/outbox/late.txt\"", "sh", open])
                #expect(try eventually(timeout: 5) { try listing(open + "/outbox").contains("late.txt.refused") }, "\(shown(open + "/outbox"))")
            }

            _ = try sync(mount)
            #expect(try server.messages(chatID: solvedID, user: "bob").count == before)
            #expect(try !server.messages(chatID: reopenedLater, user: "bob").contains { $0["content"] as? String == "hi" })
        }
    }
}
