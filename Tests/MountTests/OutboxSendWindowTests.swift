import Foundation
import Testing
import TestSupport

/// The send window (issue 7, `--send-delay`): a closed outbox file is durable at once but
/// goes out only after it was left alone for the window; within it a rewrite, a rename over
/// it and `rm` change or cancel the one message. `chatfs sync` ends every window at once.
///
/// Most tests use a long window (`--send-delay 600`) so that nothing can go out before the
/// test acted, whatever the machine's load, and end it with `chatfs sync`.
@Suite(.serialized, .enabled(if: MountSupport.available, "needs /dev/fuse, fusermount3 and built binaries"))
struct OutboxSendWindowTests {
    static let longWindow = ["--send-delay", "600"]

    @Test(arguments: [false, true])
    func aClosedFileWaitsOutTheDefaultWindowThenGoesOnItsOwn(legacy: Bool) throws {
        try withOutbox(legacy: legacy) { f in
            let text = uniqueText("after the default window")
            #expect(try f.write("w.txt", text).succeeded)
            let closed = Date()
            // Read at once: the window (2 s by default) can only have passed on a very busy machine.
            let state = try f.state("w.txt")
            if Date().timeIntervalSince(closed) < 1.5 {
                #expect(state == "waiting", "state right after close")
                let goes = parseISO8601(try f.xattr("user.chatfs.next_attempt", "w.txt"))
                #expect(goes.map { $0.timeIntervalSince(closed) > 0.5 && $0.timeIntervalSince(closed) < 4 } == true,
                        "next_attempt \(String(describing: goes)) is about 2 s after the close at \(closed)")
            }
            // No sync: it goes by itself, and not before the window is over.
            let arrived = try eventually(timeout: 30, interval: 0.05) { try f.count(text) == 1 }
            let seen = Date().timeIntervalSince(closed)
            #expect(arrived)
            #expect(seen >= 1.9, "sent \(seen) s after close: the default window is 2 s")
            #expect(try eventually { try f.listing().isEmpty })
            #expect(try f.sync().succeeded)
            #expect(try f.newTexts() == [text])
        }
    }

    @Test func sendDelayZeroSendsWithoutWaitingForSync() throws {
        try withOutbox(mountArguments: ["--send-delay", "0"]) { f throws in
            let text = uniqueText("no window")
            #expect(try f.write("now.txt", text).succeeded)
            #expect(try eventually(timeout: 15, interval: 0.05) { try f.count(text) == 1 })
            #expect(try eventually { try f.listing().isEmpty })
        }
    }

    @Test func aWaitingMessageShowsWhenItGoesAndSyncEndsEveryWindowAtOnce() throws {
        try withOutbox(mountArguments: Self.longWindow) { f in
            let texts = (1...3).map { uniqueText("queued \($0)") }
            let before = Date()
            for (index, text) in texts.enumerated() { #expect(try f.write("m\(index).txt", text).succeeded) }
            let after = Date()
            #expect(try f.listing() == ["m0.txt", "m1.txt", "m2.txt"])
            #expect(try f.state("m0.txt") == "waiting")
            let goes = try #require(parseISO8601(try f.xattr("user.chatfs.next_attempt", "m0.txt")),
                                    "user.chatfs.next_attempt is ISO 8601")
            #expect(goes >= before.addingTimeInterval(590) && goes <= after.addingTimeInterval(610),
                    "next_attempt \(goes) is 600 s after the close")
            #expect(try f.newTexts().isEmpty, "nothing goes out within the window")
            let started = Date()
            let sync = try f.sync(timeout: 300)
            #expect(sync.succeeded, "\(sync.stdout) \(sync.stderr)")
            #expect(Date().timeIntervalSince(started) < 120, "chatfs sync ends the window instead of waiting it out")
            #expect(try f.newTexts() == texts, "each once, in the order closed")
            #expect(try f.listing().isEmpty)
        }
    }

    @Test(arguments: [false, true])
    func aRewriteWithinTheWindowSendsOnlyTheFinalText(legacy: Bool) throws {
        try withOutbox(legacy: legacy, mountArguments: Self.longWindow) { f in
            let first = uniqueText("first version")
            let second = uniqueText("second version")
            #expect(try f.write("x.txt", first).succeeded)
            #expect(try f.state("x.txt") == "waiting")
            let rewrite = try f.write("x.txt", second)
            #expect(rewrite.succeeded, "\(rewrite.stderr)")
            let append = try f.shell("echo 'and a PS' >> x.txt")
            #expect(append.succeeded, "\(append.stderr)")
            #expect(try run(["cat", f.path("x.txt")]).stdout == second + "\nand a PS\n")
            #expect(try f.state("x.txt") == "waiting")
            #expect(try f.sync().succeeded)
            #expect(try f.newTexts() == [second + "\nand a PS"])
            #expect(try f.listing().isEmpty)
        }
    }

    @Test(arguments: [false, true])
    func mvOverAWaitingMessageReplacesIt(legacy: Bool) throws {
        try withOutbox(legacy: legacy, mountArguments: Self.longWindow) { f in
            let replaced = uniqueText("replaced")
            let other = uniqueText("other's text")
            #expect(try f.write("x.txt", replaced).succeeded)
            #expect(try f.write("other.txt", other).succeeded)
            #expect(try f.state("x.txt") == "waiting")
            let mv = try f.shell("mv other.txt x.txt")
            #expect(mv.succeeded, "\(mv.stderr)")
            #expect(try f.listing() == ["x.txt"])
            #expect(try run(["cat", f.path("x.txt")]).stdout == other + "\n")
            #expect(try f.sync().succeeded)
            #expect(try f.newTexts() == [other], "one message, other's text")
            #expect(try f.listing().isEmpty)
        }
    }

    @Test(arguments: [false, true])
    func rmWithinTheWindowCancels(legacy: Bool) throws {
        try withOutbox(legacy: legacy, mountArguments: Self.longWindow) { f in
            let cancelled = uniqueText("undo send")
            #expect(try f.write("x.txt", cancelled).succeeded)
            #expect(try f.state("x.txt") == "waiting")
            let rm = try f.shell("rm x.txt")
            #expect(rm.succeeded, "\(rm.stderr)")
            #expect(try f.listing().isEmpty)
            // A later message goes through: the cancelled one had every chance to go first.
            let marker = uniqueText("sent after the cancelled one")
            #expect(try f.write("marker.txt", marker).succeeded)
            #expect(try f.sync().succeeded)
            #expect(try f.newTexts() == [marker])
        }
    }

    /// sed -i, perl -i, rsync and many editors: a temporary file (not a draft name) is
    /// written, closed (so it waits like any message) and renamed over the message.
    @Test(arguments: [false, true])
    func aTemporaryFileRenamedOverAWaitingMessageMergesIntoIt(legacy: Bool) throws {
        try withOutbox(legacy: legacy, mountArguments: Self.longWindow) { f in
            let old = uniqueText("old text")
            let new = uniqueText("new text")
            #expect(try f.write("x.txt", old).succeeded)
            let tool = """
                import os, sys
                d, text = sys.argv[1], sys.argv[2]
                fd = os.open(d + '/sedAb12Cd', os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
                os.write(fd, (text + '\\n').encode()); os.close(fd)
                os.rename(d + '/sedAb12Cd', d + '/x.txt')
                """
            let result = try run(["python3", "-c", tool, f.box, new])
            #expect(result.succeeded, "\(result.stderr)")
            #expect(try f.listing() == ["x.txt"])
            #expect(try run(["cat", f.path("x.txt")]).stdout == new + "\n")
            #expect(try f.sync().succeeded)
            #expect(try f.newTexts() == [new], "one message, the final text")
        }
    }

    /// After the window, with the server down: the message waits, and `rm` still cancels it.
    @Test(arguments: [false, true])
    func rmOfAWaitingMessageAfterTheWindowWithTheServerDownCancelsIt(legacy: Bool) throws {
        var server = try ReferenceServer.start(legacy: legacy)
        defer {
            server.stop()
            try? FileManager.default.removeItem(atPath: (server.databasePath as NSString).deletingLastPathComponent)
        }
        let mount = try ChatfsMount.start(server: server)
        defer { dispose(mount) }
        let chatID = try server.chatID(titled: OutboxFixture.chatTitle)
        let box = mount.path(OutboxFixture.chatDir + "/outbox")
        _ = try run(["ls", box])
        server.stop()
        let cancelled = uniqueText("cancelled while offline")
        #expect(try run(["bash", "-c", "printf '%s\\n' \"$1\" > \"$2\"", "-", cancelled, box + "/late.txt"]).succeeded)
        func attribute(_ name: String) throws -> String {
            try run(["getfattr", "--only-values", "-n", name, box + "/late.txt"]).stdout
        }
        let windowEnd = try #require(parseISO8601(try attribute("user.chatfs.next_attempt")), "next_attempt of a waiting message")
        // The window is over and the sender found the server down (a new next attempt or
        // an error), or at least the time it said it would go has passed.
        let over = try eventually(timeout: 60, interval: 0.2) {
            let next = parseISO8601(try attribute("user.chatfs.next_attempt"))
            let error = try attribute("user.chatfs.last_error")
            return (next.map { $0 > windowEnd } ?? false) || !error.isEmpty || Date() > windowEnd.addingTimeInterval(1)
        }
        #expect(over)
        #expect(try attribute("user.chatfs.state") == "waiting")
        let rm = try run(["rm", box + "/late.txt"])
        #expect(rm.succeeded, "\(rm.stderr)")
        #expect(try run(["ls", "-A", box]).stdout.isEmpty)
        server = try server.restarted()
        let marker = uniqueText("after the server came back")
        #expect(try run(["bash", "-c", "printf '%s\\n' \"$1\" > \"$2\"", "-", marker, box + "/marker.txt"]).succeeded)
        let sync = try run([Binaries.chatfs, "sync", mount.mountPoint], timeout: 180)
        #expect(sync.succeeded, "chatfs sync exited \(sync.status): \(sync.stdout)\(sync.stderr)")
        let texts = try server.messages(chatID: chatID).compactMap { $0["content"] as? String }
        #expect(texts.contains(marker))
        #expect(!texts.contains(cancelled))
    }
}
