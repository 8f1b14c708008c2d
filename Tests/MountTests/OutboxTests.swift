import Foundation
import Testing
import TestSupport

/// Sending by writing files into a chat's outbox/, on both server generations: once, in
/// order, offline too, across a crash, with loud refusals.
@Suite(.serialized, .enabled(if: MountSupport.available, "needs /dev/fuse, fusermount3 and built binaries"))
struct OutboxTests {
    static let chatTitle = "VPN / remote access"
    static let chatDir = "VPN ／ remote access"

    /// How many messages in the chat have exactly this text (the server's stored form).
    func count(_ text: String, on server: ReferenceServer) throws -> Int {
        try server.messages(chatID: server.chatID(titled: Self.chatTitle)).filter { $0["content"] as? String == text }.count
    }

    func sequences(of texts: [String], on server: ReferenceServer) throws -> [Int] {
        let messages = try server.messages(chatID: server.chatID(titled: Self.chatTitle))
        return texts.compactMap { text in messages.first { $0["content"] as? String == text }?["sequenceNumber"] as? Int }
    }

    func outbox(_ mount: ChatfsMount) -> String { mount.path(Self.chatDir + "/outbox") }

    func listing(_ directory: String) throws -> [String] {
        try run(["ls", "-A", directory]).stdout.split(separator: "\n").map(String.init)
    }

    func xattr(_ name: String, _ path: String) throws -> String {
        try run(["getfattr", "--only-values", "-n", name, path]).stdout
    }

    /// The barrier after which no earlier send can still land: a later message written to
    /// the outbox and `chatfs sync` (the sender sends a chat's messages in order, so once the
    /// marker is on the server every earlier attempt has ended). Replaces fixed sleeps.
    func sendMarkerAndSync(_ mount: ChatfsMount, on server: ReferenceServer) throws {
        let marker = "marker \(UUID().uuidString.prefix(8))"
        #expect(try run(["sh", "-c", "echo '\(marker)' > '\(outbox(mount))/zz-marker.txt'"]).succeeded)
        let sync = try run([Binaries.chatfs, "sync", mount.mountPoint], timeout: 180)
        #expect(sync.succeeded, "\(sync.stdout) \(sync.stderr)")
        #expect(try eventually { try count(marker, on: server) == 1 })
    }

    @Test(arguments: [false, true])
    func aFileWrittenIntoTheOutboxIsSentOnceAndBecomesAMessageFile(legacy: Bool) throws {
        try withDemoMount(legacy: legacy) { server, mount in
            let text = "Hello from the outbox (\(legacy ? "legacy" : "delta"))"
            let write = try run(["sh", "-c", "echo '\(text)' > '\(outbox(mount))/hello.txt'"])
            #expect(write.succeeded, "\(write.stderr)")
            #expect(try eventually { try count(text, on: server) == 1 })
            #expect(try eventually { try listing(outbox(mount)).isEmpty })
            let chat = mount.path(Self.chatDir)
            let arrived = try eventually {
                try run(["grep", "-lF", text, "-r", chat]).stdout.contains("-alice.txt")
            }
            #expect(arrived)
            try sendMarkerAndSync(mount, on: server)
            #expect(try count(text, on: server) == 1)
        }
    }

    @Test(arguments: [false, true])
    func messagesWrittenOfflineWaitAndArriveOnceInOrder(legacy: Bool) throws {
        var server = try ReferenceServer.start(legacy: legacy)
        defer { server.stop() }
        let mount = try ChatfsMount.start(server: server)
        defer { mount.stop() }
        _ = try listing(mount.path(Self.chatDir))
        server.stop()
        let texts = (1...3).map { "offline message \($0)" }
        for (index, text) in texts.enumerated() {
            let write = try run(["sh", "-c", "printf '%s\\n' '\(text)' > '\(outbox(mount))/\(index).txt'"])
            #expect(write.succeeded, "\(write.stderr)")
        }
        #expect(try listing(outbox(mount)) == ["0.txt", "1.txt", "2.txt"])
        // Issue 7 names the queued state `waiting` (it was `pending`).
        #expect(try xattr("user.chatfs.state", outbox(mount) + "/0.txt") == "waiting")
        // Offline costs no attempt: once the sender has tried the chat's first message (it
        // records why it could not, or moves its next attempt), the counts are still 0.
        let head = outbox(mount) + "/0.txt"
        let firstNext = parseISO8601(try xattr("user.chatfs.next_attempt", head))
        let tried = try eventually(timeout: 30, interval: 0.2) {
            let next = parseISO8601(try xattr("user.chatfs.next_attempt", head))
            let moved = firstNext.map { first in next.map { $0 > first } ?? false } ?? (next != nil)
            let error = try xattr("user.chatfs.last_error", head)
            return moved || !error.isEmpty
        }
        #expect(tried, "the sender never tried while offline")
        #expect(try xattr("user.chatfs.attempts", head) == "0")
        #expect(try xattr("user.chatfs.attempts", outbox(mount) + "/2.txt") == "0")
        server = try server.restarted()
        #expect(try eventually(timeout: 30) { try listing(outbox(mount)).isEmpty })
        let sequences = try self.sequences(of: texts, on: server)
        #expect(sequences.count == 3)
        #expect(sequences == sequences.sorted())
        for text in texts { #expect(try count(text, on: server) == 1) }
    }

    @Test(arguments: [false, true])
    func aCrashWithPendingMessagesSendsEachExactlyOnceAfterRemount(legacy: Bool) throws {
        var server = try ReferenceServer.start(legacy: legacy)
        defer { server.stop() }
        let cache = try makeTemporaryDirectory("chatfs-cache")
        let first = try ChatfsMount.start(server: server, cacheDirectory: cache)
        _ = try listing(first.path(Self.chatDir))
        server.stop()
        let texts = ["survives a crash 1", "survives a crash 2"]
        for (index, text) in texts.enumerated() {
            #expect(try run(["sh", "-c", "echo '\(text)' > '\(outbox(first))/c\(index)'"]).succeeded)
        }
        first.crash()
        first.stop()
        server = try server.restarted()
        let second = try ChatfsMount.start(server: server, cacheDirectory: cache)
        defer { second.stop() }
        #expect(try eventually(timeout: 30) { try texts.allSatisfy { try count($0, on: server) == 1 } })
        try sendMarkerAndSync(second, on: server)
        for text in texts { #expect(try count(text, on: server) == 1) }
    }

    @Test(arguments: [false, true])
    func aConnectionDroppedAfterTheServerStoredTheMessageMakesNoDuplicate(legacy: Bool) throws {
        try withDemoMount(legacy: legacy) { server, mount in
            _ = try listing(mount.path(Self.chatDir))
            try server.injectFault(["pathContains": "/chat/messages", "method": "POST", "action": "drop-after-commit",
                                    "delaySeconds": 90, "times": 1])
            let text = "sent once despite the dropped answer"
            #expect(try run(["sh", "-c", "echo '\(text)' > '\(outbox(mount))/drop.txt'"]).succeeded)
            #expect(try eventually(timeout: 60) { try listing(outbox(mount)).isEmpty })
            try sendMarkerAndSync(mount, on: server)
            #expect(try count(text, on: server) == 1)
        }
    }

    @Test func fiveServerErrorsFailTheMessageAndRenamingItBackRetries() throws {
        try withDemoMount { server, mount in
            _ = try listing(mount.path(Self.chatDir))
            try server.injectFault(["pathContains": "/chat/messages", "method": "POST", "action": "status", "status": 500, "times": 5])
            let text = "retried after failing"
            #expect(try run(["sh", "-c", "echo '\(text)' > '\(outbox(mount))/retry.txt'"]).succeeded)
            #expect(try eventually(timeout: 40) { try listing(outbox(mount)) == ["retry.txt.failed"] })
            let failed = outbox(mount) + "/retry.txt.failed"
            #expect(try xattr("user.chatfs.state", failed) == "failed")
            #expect(try xattr("user.chatfs.last_error", failed).contains("500"))
            #expect(try run(["cat", mount.path(".chatfs/status")]).stdout.contains("retry.txt"))
            #expect(try count(text, on: server) == 0)
            #expect(try run(["mv", failed, outbox(mount) + "/retry.txt"]).succeeded)
            #expect(try eventually(timeout: 20) { try count(text, on: server) == 1 })
            #expect(try eventually { try listing(outbox(mount)).isEmpty })
        }
    }

    @Test func rmCancelsAPendingMessage() throws {
        var server = try ReferenceServer.start()
        defer { server.stop() }
        let mount = try ChatfsMount.start(server: server)
        defer { mount.stop() }
        _ = try listing(mount.path(Self.chatDir))
        server.stop()
        #expect(try run(["sh", "-c", "echo 'never sent' > '\(outbox(mount))/cancel.txt'"]).succeeded)
        #expect(try run(["rm", outbox(mount) + "/cancel.txt"]).succeeded)
        #expect(try listing(outbox(mount)).isEmpty)
        server = try server.restarted()
        let sync = try run([Binaries.chatfs, "sync", mount.mountPoint], timeout: 30)
        #expect(sync.succeeded, "chatfs sync exited \(sync.status): \(sync.stdout)\(sync.stderr)")
        #expect(try count("never sent", on: server) == 0)
    }

    @Test func rateLimitedSendsWaitAndGoThrough() throws {
        try withDemoMount { server, mount in
            _ = try listing(mount.path(Self.chatDir))
            try server.injectFault(["pathContains": "/chat/messages", "method": "POST", "action": "status", "status": 429, "times": 2])
            let text = "after the rate limit"
            #expect(try run(["sh", "-c", "echo '\(text)' > '\(outbox(mount))/limited.txt'"]).succeeded)
            #expect(try eventually(timeout: 45) { try count(text, on: server) == 1 })
            try sendMarkerAndSync(mount, on: server)
            #expect(try count(text, on: server) == 1)
        }
    }

    @Test func refusedFilesReportAnErrorToCloseAndQueueNothing() throws {
        try withDemoMount { server, mount in
            let box = outbox(mount)
            _ = try listing(box)
            let before = try server.messages(chatID: server.chatID(titled: Self.chatTitle)).count
            let local = try makeTemporaryDirectory("chatfs-refused")
            defer { try? FileManager.default.removeItem(atPath: local) }
            _ = FileManager.default.createFile(atPath: local + "/empty.txt", contents: Data("  \n".utf8))
            // Latin-1 text, not UTF-8 (no NUL, no binary signature: a wrong encoding, not a file to attach).
            _ = FileManager.default.createFile(atPath: local + "/binary.txt", contents: Data([0x63, 0x61, 0x66, 0xE9, 0x0A]))
            _ = FileManager.default.createFile(atPath: local + "/long.txt", contents: Data(String(repeating: "a", count: 10_001).utf8))
            let empty = try run(["cp", local + "/empty.txt", box])
            #expect(!empty.succeeded)
            #expect(empty.stderr.contains("Invalid argument"), "\(empty.stderr)")
            let binary = try run(["cp", local + "/binary.txt", box])
            #expect(!binary.succeeded)
            #expect(binary.stderr.contains("Invalid or incomplete multibyte or wide character"), "\(binary.stderr)")
            let long = try run(["cp", local + "/long.txt", box])
            #expect(!long.succeeded)
            #expect(long.stderr.contains("File too large"), "\(long.stderr)")
            // Recorded when the kernel releases the file, just after close() returned.
            #expect(try eventually(timeout: 5) { try run(["cat", mount.path(".chatfs/status")]).stdout.contains("outbox/long.txt") })
            // A program that checks close(), like cat, reports it too.
            let piped = try run(["sh", "-c", "printf '' | cat > '\(box)/piped.txt'"])
            #expect(!piped.succeeded)
            // Issue 7: a refused file stays listed as `<name>.refused` (nothing queued).
            #expect(try eventually(timeout: 5) {
                try listing(box).sorted() == ["binary.txt.refused", "empty.txt.refused", "long.txt.refused", "piped.txt.refused"]
            }, "\((try? listing(box)) ?? [])")
            #expect(try run([Binaries.chatfs, "sync", mount.mountPoint], timeout: 30).succeeded)
            #expect(try server.messages(chatID: server.chatID(titled: Self.chatTitle)).count == before, "nothing was sent")
        }
    }

    @Test func theQueueHoldsAHundredMessagesAndRefusesTheNext() throws {
        let server = try ReferenceServer.start()
        defer { server.stop() }
        let mount = try ChatfsMount.start(server: server)
        defer { mount.stop() }
        let box = outbox(mount)
        _ = try listing(box)
        server.stop()
        let fill = try run(["sh", "-c", "for i in $(seq 1 100); do echo \"queued $i\" > '\(box)'/q$i.txt || exit 1; done"], timeout: 120)
        #expect(fill.succeeded, "\(fill.stderr)")
        let full = try run(["sh", "-c", "echo 'one too many' | cat > '\(box)/q101.txt'"])
        #expect(!full.succeeded)
        #expect(full.stderr.contains("Disk quota exceeded"), "\(full.stderr)")
        #expect(try eventually(timeout: 5) { try listing(box).count == 101 && listing(box).contains("q101.txt.refused") })
        #expect(try run(["cat", mount.path(".chatfs/status")]).stdout.contains("100 pending"))
    }

    @Test func draftsAreNeverSentAndARenameSendsThem() throws {
        try withDemoMount { server, mount in
            let box = outbox(mount)
            _ = try listing(box)
            for name in [".hidden", "notes~", "a.swp", "b.swx", "c.tmp", "d.part"] {
                #expect(try run(["sh", "-c", "echo 'draft \(name)' > '\(box)/\(name)'"]).succeeded)
            }
            #expect(try run(["cat", box + "/notes~"]).stdout == "draft notes~\n")
            #expect(try run(["sh", "-c", "echo 'more' >> '\(box)/notes~'"]).succeeded)
            #expect(try xattr("user.chatfs.state", box + "/c.tmp") == "draft")
            #expect(try run(["mv", box + "/notes~", box + "/notes.txt"]).succeeded)
            #expect(try eventually { try count("draft notes~\nmore", on: server) == 1 })
            #expect(try run([Binaries.chatfs, "sync", mount.mountPoint], timeout: 30).succeeded)
            for name in [".hidden", "a.swp", "b.swx", "c.tmp", "d.part"] {
                #expect(try count("draft \(name)", on: server) == 0)
            }
            #expect(try listing(box).sorted() == [".hidden", "a.swp", "b.swx", "c.tmp", "d.part"])
        }
    }

    /// The exact system calls vim (:w of a new file, then of an existing one) and nano make.
    @Test func editorSavePatternsSendExactlyOneMessageWithTheFinalText() throws {
        try withDemoMount { server, mount in
            let box = outbox(mount)
            _ = try listing(box)
            let vimNewFile = """
                import os
                d = os.sys.argv[1]
                swap = os.open(d + '/.reply.txt.swp', os.O_CREAT | os.O_RDWR, 0o600)
                os.write(swap, b'b0VIM swap header'); os.fsync(swap)
                f = os.open(d + '/reply.txt', os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o644)
                os.write(f, b'first line\\n'); os.write(f, b'final text from vim\\n'); os.fsync(f); os.close(f)
                os.close(swap); os.unlink(d + '/.reply.txt.swp')
                """
            #expect(try run(["python3", "-c", vimNewFile, box]).succeeded)
            #expect(try eventually { try count("first line\nfinal text from vim", on: server) == 1 })

            // vim on an existing file with a backup: rename to x~, write x anew, remove x~.
            #expect(try run(["sh", "-c", "echo 'draft one' > '\(box)/.draft'"]).succeeded)
            let vimBackup = """
                import os
                d = os.sys.argv[1]
                os.rename(d + '/.draft', d + '/edit.txt~')
                f = os.open(d + '/edit.txt', os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o644)
                os.write(f, b'edited with backup\\n'); os.fsync(f); os.close(f)
                os.unlink(d + '/edit.txt~')
                """
            #expect(try run(["python3", "-c", vimBackup, box]).succeeded)
            let nano = """
                import os
                d = os.sys.argv[1]
                f = os.open(d + '/nano.tmp', os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o644)
                os.write(f, b'nano draft'); os.close(f)
                f = os.open(d + '/nano.tmp', os.O_WRONLY | os.O_TRUNC)
                os.write(f, b'nano final\\n'); os.close(f)
                os.rename(d + '/nano.tmp', d + '/nano.txt')
                """
            #expect(try run(["python3", "-c", nano, box]).succeeded)
            #expect(try run([Binaries.chatfs, "sync", mount.mountPoint], timeout: 30).succeeded)
            #expect(try count("edited with backup", on: server) == 1)
            #expect(try count("draft one", on: server) == 0)
            #expect(try count("nano final", on: server) == 1)
            #expect(try count("nano draft", on: server) == 0)
            #expect(try count("first line\nfinal text from vim", on: server) == 1)
            #expect(try listing(box).isEmpty)
        }
    }

    @Test func anImageOrADocumentDroppedIntoTheOutboxArrivesAsAnAttachmentAndAMessage() throws {
        try withDemoMount { server, mount in
            let box = outbox(mount)
            _ = try listing(box)
            let chatID = try server.chatID(titled: Self.chatTitle)
            let token = try server.login("alice")
            func listed(_ kind: String) throws -> [[String: Any]] {
                let answer = try server.request("GET", "/api/v1/\(kind)/request/\(chatID)", token: token)
                return try JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [[String: Any]] ?? []
            }
            let screenshotsBefore = try listed("screenshots").count
            let announcementsBefore = try count("[Screenshot]", on: server)
            let filesBefore = try listed("chat-files").count
            // A real JPEG: one of the demo screenshots, downloaded as a user would.
            let local = try makeTemporaryDirectory("chatfs-attachments")
            defer { try? FileManager.default.removeItem(atPath: local) }
            let anyScreenshot = try #require(try server.chats().lazy.compactMap { chat -> Int? in
                let answer = try server.request("GET", "/api/v1/screenshots/request/\(chat.id)", token: token)
                let list = try JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [[String: Any]]
                return list?.first { $0["uploadStatus"] as? String == "completed" }?["id"] as? Int
            }.first)
            #expect(try run(["curl", "-sf", "-o", local + "/photo.jpg", "-H", "Authorization: Bearer \(token)",
                             server.url + "/api/v1/screenshots/\(anyScreenshot)/download"]).succeeded)
            #expect(try run(["file", local + "/photo.jpg"]).stdout.contains("JPEG"))
            _ = FileManager.default.createFile(atPath: local + "/report.pdf", contents: Data("%PDF-1.4\n%\u{00E2}\u{00E3}\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n".utf8))
            #expect(try run(["cp", local + "/photo.jpg", local + "/report.pdf", box]).succeeded)
            #expect(try run([Binaries.chatfs, "sync", mount.mountPoint], timeout: 60).succeeded)
            #expect(try listed("screenshots").count == screenshotsBefore + 1)
            #expect(try listed("screenshots").contains { ($0["filename"] as? String)?.contains("_photo_") == true })
            #expect(try listed("chat-files").count == filesBefore + 1)
            #expect(try count("[Screenshot]", on: server) == announcementsBefore + 1)
            #expect(try count("[File: report.pdf]", on: server) == 1)
            #expect(try listing(box).isEmpty)
        }
    }

    @Test func aFileStillOpenForWritingIsNotSent() throws {
        try withDemoMount { server, mount in
            let box = outbox(mount)
            _ = try listing(box)
            // The writer keeps the file open, part written, until the test lets it go on.
            let local = try makeTemporaryDirectory("chatfs-slow-writer")
            defer { try? FileManager.default.removeItem(atPath: local) }
            let slowWriter = """
                import os, sys, time
                f = os.open(sys.argv[1] + '/slow.txt', os.O_CREAT | os.O_WRONLY, 0o644)
                os.write(f, b'part one ')
                open(sys.argv[2] + '/written', 'w').close()
                while not os.path.exists(sys.argv[2] + '/go'): time.sleep(0.02)
                os.write(f, b'part two'); os.close(f)
                """
            let writer = Process()
            writer.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            writer.arguments = ["python3", "-c", slowWriter, box, local]
            try writer.run()
            defer { if writer.isRunning { kill(writer.processIdentifier, SIGKILL) } }
            #expect(eventually(timeout: 30, interval: 0.02) { FileManager.default.fileExists(atPath: local + "/written") })
            #expect(try xattr("user.chatfs.state", box + "/slow.txt") == "writing")
            // The server strips the trailing space: "part one" is what a premature send stores.
            #expect(try count("part one", on: server) == 0)
            FileManager.default.createFile(atPath: local + "/go", contents: nil)
            writer.waitUntilExit()
            #expect(writer.terminationStatus == 0)
            #expect(try eventually { try count("part one part two", on: server) == 1 })
            try sendMarkerAndSync(mount, on: server)
            #expect(try count("part one", on: server) == 0)
        }
    }

    @Test func aClosedChatFailsTheMessageAtOnceWithTheServersReason() throws {
        try withDemoMount { server, mount in
            _ = try listing(mount.path(Self.chatDir))
            #expect(try server.request("POST", "/_test/chats/\(server.chatID(titled: Self.chatTitle))/close").status < 300)
            #expect(try run(["sh", "-c", "echo 'too late' > '\(outbox(mount))/late.txt'"]).succeeded)
            #expect(try eventually(timeout: 10) { try listing(outbox(mount)) == ["late.txt.failed"] })
            #expect(try xattr("user.chatfs.last_error", outbox(mount) + "/late.txt.failed").contains("closed/solved"))
            #expect(try run(["rm", outbox(mount) + "/late.txt.failed"]).succeeded)
            #expect(try listing(outbox(mount)).isEmpty)
        }
    }

    @Test func syncWaitsForTheQueueAndReports() throws {
        try withDemoMount { server, mount in
            _ = try listing(mount.path(Self.chatDir))
            try server.injectFault(["pathContains": "/chat/messages", "method": "POST", "action": "delay", "delaySeconds": 2, "times": 1])
            #expect(try run(["sh", "-c", "echo 'waited for' > '\(outbox(mount))/wait.txt'"]).succeeded)
            let sync = try run([Binaries.chatfs, "sync", mount.mountPoint], timeout: 60)
            #expect(sync.succeeded, "\(sync.stderr)")
            #expect(sync.stdout.contains("0 pending") || sync.stdout.contains("0 waiting"), "\(sync.stdout)")
            #expect(try count("waited for", on: server) == 1)
        }
    }

    @Test func markingAChatReadIsQueuedAndReachesTheServer() throws {
        try withDemoMount { server, mount in
            let chat = mount.path(Self.chatDir)
            _ = try listing(chat)
            // Reading files never marks anything read.
            _ = try run(["grep", "-r", "anything", chat])
            let token = try server.login("alice")
            let id = try server.chatID(titled: Self.chatTitle)
            let unread = { () throws -> Int in
                let answer = try server.request("GET", "/api/v1/chat/\(id)/unread", token: token)
                let object = try JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [String: Any]
                return object?["unreadCount"] as? Int ?? -1
            }
            let before = try unread()
            #expect(before > 0)
            #expect(try run([Binaries.chatfs, "read", chat]).succeeded)
            #expect(try xattr("user.chatfs.unread", chat) == "0")
            #expect(try eventually { try unread() == 0 })
        }
    }
}
