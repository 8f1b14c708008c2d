import Foundation
import Testing
import TestSupport

/// `.chatfs/events` read by real readers (README "Events").
@Suite(.serialized, .enabled(if: MountSupport.available, "needs /dev/fuse, fusermount3 and built binaries"))
struct EventsTests {
    static let chatTitle = "VPN / remote access"
    static let chatDir = "VPN ／ remote access"

    static func objects(_ collector: StreamCollector) -> [[String: Any]] {
        collector.lines.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }

    static func messageSequences(_ collector: StreamCollector, chat: String) -> [Int] {
        objects(collector).filter { $0["event"] as? String == "message" && $0["chat"] as? String == chat }
            .compactMap { $0["sequence"] as? Int }
    }

    /// Two descriptors open on the stream (from this process, as an event loop would).
    @Test func twoReadersEachGetEveryMessageOnceInOrderAndPollWakes() throws {
        try withDemoMount { server, mount in
            let chatID = try server.chatID(titled: Self.chatTitle)
            #expect(try run(["ls", mount.path(Self.chatDir)]).succeeded)
            let first = open(mount.path(".chatfs/events"), O_RDONLY)
            let second = open(mount.path(".chatfs/events"), O_RDONLY)
            try #require(first >= 0 && second >= 0)
            defer { close(first); close(second) }

            // Nothing has happened since the open: not readable.
            var idle = pollfd(fd: first, events: Int16(POLLIN), revents: 0)
            #expect(poll(&idle, 1, 0) == 0)
            #expect(try server.post(chatID: chatID, sender: "bob", content: "wake up") == 201)
            var ready = pollfd(fd: first, events: Int16(POLLIN), revents: 0)
            #expect(poll(&ready, 1, 30_000) == 1, "poll wakes when the message arrives")
            #expect(ready.revents & Int16(POLLIN) != 0)

            let readers = [StreamCollector(descriptor: first), StreamCollector(descriptor: second)]
            for number in 1...20 {
                #expect(try server.post(chatID: chatID, sender: "bob", content: "event \(number)") == 201)
            }
            for reader in readers {
                #expect(eventually(timeout: 60) { Self.messageSequences(reader, chat: Self.chatDir).count >= 21 })
            }
            let sequences = Self.messageSequences(readers[0], chat: Self.chatDir)
            #expect(sequences.count == 21)
            #expect(sequences == sequences.sorted() && Set(sequences).count == sequences.count)
            #expect(Self.messageSequences(readers[1], chat: Self.chatDir) == sequences)
            // Each line names the message's file, which reads as the message.
            let last = try #require(Self.objects(readers[0]).last { $0["event"] as? String == "message" })
            #expect(last["sender"] as? String == "bob")
            #expect(try run(["cat", mount.path(last["path"] as? String ?? "")]).stdout.hasSuffix("\n\nevent 20\n"))
            // History is not news: the first visit of a chat makes no message lines.
            #expect(try run(["ls", mount.path("Big history")]).succeeded)
            #expect(Self.objects(readers[0]).allSatisfy { $0["chat"] as? String != "Big history" })
        }
    }

    /// Ctrl-C on a `cat` blocked in a read ends it (the parked read answers EINTR).
    @Test func sigintEndsABlockedCat() throws {
        try withDemoMount { _, mount in
            // A child inherits ignored signals (the test runner may ignore SIGINT): reset it.
            let cat = try CollectedProcess(["env", "--default-signal=INT", "cat", mount.path(".chatfs/events")])
            defer { cat.stop() }
            let pid = cat.process.processIdentifier
            #expect(eventually(timeout: 10) { Self.isBlockedInRead(pid: pid) }, "cat waits in read(2)")
            kill(pid, SIGINT)
            #expect(eventually(timeout: 10) { !cat.process.isRunning }, "SIGINT ends the read")
        }
    }

    /// The mount ends while a reader waits: the read gets end of file, cat exits 0.
    @Test(.disabled(if: MountSupport.stopEndsInThreadSanitizer, "ThreadSanitizer ends the daemon before it answers"))
    func stoppingTheMountEndsAWaitingReader() throws {
        let server = try ReferenceServer.start()
        defer { server.stop() }
        let mount = try ChatfsMount.start(server: server)
        defer { mount.removeFiles() }
        let cat = try CollectedProcess(["cat", mount.path(".chatfs/events")])
        defer { cat.stop() }
        #expect(eventually(timeout: 10) { Self.isBlockedInRead(pid: cat.process.processIdentifier) })
        kill(mount.pid, SIGTERM)
        #expect(eventually(timeout: 20) { !cat.process.isRunning }, "the waiting read ends")
        cat.process.waitUntilExit()
        #expect(cat.process.terminationStatus == 0)
        #expect(eventually(timeout: 20) { !mount.isRunning })
    }

    /// Sent and refused outbox files are told, with the sequence the message got.
    @Test func sendsAndRefusalsAreTold() throws {
        try withOutbox { f in
            let cat = try CollectedProcess(["cat", f.mount.path(".chatfs/events")])
            defer { cat.stop() }
            #expect(eventually(timeout: 10) { Self.isBlockedInRead(pid: cat.process.processIdentifier) })
            #expect(try f.write("hello.txt", "hello from the outbox").succeeded)
            #expect(try f.sync().succeeded)
            _ = try f.shell("echo \"\" > x")  // refused: empty
            #expect(eventually(timeout: 30) { Self.objects(cat.output).contains { $0["event"] as? String == "refused" } })
            let events = Self.objects(cat.output)
            let sent = try #require(events.first { $0["event"] as? String == "sent" }, "\(cat.output.text)")
            #expect(sent["file"] as? String == "hello.txt")
            #expect(sent["chat"] as? String == OutboxFixture.chatDir)
            let sequence = try #require(sent["sequence"] as? Int)
            #expect(events.contains { $0["event"] as? String == "message" && $0["sequence"] as? Int == sequence })
            let refused = try #require(events.first { $0["event"] as? String == "refused" })
            #expect(refused["file"] as? String == "x")
            #expect(refused["path"] as? String == OutboxFixture.chatDir + "/outbox/x.refused")
            #expect(!(refused["reason"] as? String ?? "").isEmpty)
        }
    }

    /// Blocked in read(2) (syscall 0 on x86_64, 63 on arm64) of a FUSE file.
    static func isBlockedInRead(pid: Int32) -> Bool {
        #if arch(x86_64)
        let readNumber = "0"
        #else
        let readNumber = "63"
        #endif
        let syscall = (try? String(contentsOfFile: "/proc/\(pid)/syscall", encoding: .utf8)) ?? ""
        return syscall.split(separator: " ").first == Substring(readNumber) && FollowTests.opens(pid: pid, suffix: ".chatfs/events")
    }
}
