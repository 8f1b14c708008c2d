import Foundation
import Testing
import TestSupport

/// Defect 6 of issue 12: the deployed backend keeps an upload `pending` until its worker
/// finishes it (without the worker, forever) but serves its bytes. chatfs lists what the
/// server serves, says "pending" and "unverified" in xattrs, and verifies the bytes against
/// the server's sha256 once the upload completes.
@Suite(.serialized, .enabled(if: MountSupport.available, "needs /dev/fuse, fusermount3 and built binaries"))
struct PendingUploadTests {
    func listing(_ directory: String) throws -> [String] {
        try run(["ls", "-A", directory]).stdout.split(separator: "\n").map(String.init)
    }

    func xattr(_ name: String, _ path: String) throws -> String {
        try run(["getfattr", "--only-values", "-n", name, path]).stdout
    }

    @Test func thePendingScreenshotOfTheDemoIsListedAgainstTheDeployedBackendOnly() throws {
        for legacy in [true, false] {
            try withDemoMount(legacy: legacy) { _, mount in
                let media = mount.path("Slow computer after update/media")
                let names = try listing(media)
                if legacy {
                    #expect(names.count == 1 && names.first?.hasSuffix("task-manager.jpg") == true, "\(names)")
                    let file = media + "/" + (names.first ?? "")
                    #expect(try xattr("user.chatfs.upload_state", file) == "pending")
                    #expect(try xattr("user.chatfs.verified", file) == "0")
                    #expect(try run(["file", file]).stdout.contains("JPEG"))
                    #expect(try xattr("user.chatfs.verified", file) == "0")  // no hash to check yet
                } else {
                    #expect(names.isEmpty, "the delta server answers 202 for a pending upload: \(names)")
                }
            }
        }
    }

    @Test func aFileChatfsSentIsListedWhileItsUploadIsPendingAndVerifiedOnceItCompletes() throws {
        let server = try ReferenceServer.start(legacy: true, extraArguments: ["--pending-uploads"])
        defer { server.removeFiles() }
        let mount = try ChatfsMount.start(server: server, extraArguments: ["--send-delay", "0"])
        defer { mount.removeFiles() }
        let chat = mount.path(OutboxFixture.chatDir)
        #expect(try run(["ls", chat]).succeeded)
        try withLocalFolder { local in
            let pdf = local + "/small.pdf"
            _ = FileManager.default.createFile(atPath: pdf, contents: Data("%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n".utf8))
            #expect(try run(["cp", pdf, chat + "/outbox"]).succeeded)
            let synced = try run([Binaries.chatfs, "sync", mount.mountPoint], timeout: 60)
            #expect(synced.succeeded, "\(synced.stdout)\(synced.stderr)")

            var name = ""
            let listed = try eventually(timeout: 30, interval: 0.2) {
                name = try listing(chat + "/media").first { $0.hasSuffix("small.pdf") } ?? ""
                return !name.isEmpty
            }
            let media = try listing(chat + "/media")
            #expect(listed, "media/ never listed the pending upload: \(media)")
            let file = chat + "/media/" + name
            #expect(try xattr("user.chatfs.upload_state", file) == "pending")
            #expect(try xattr("user.chatfs.verified", file) == "0")
            #expect(try run(["cmp", pdf, file]).succeeded)
            #expect(try xattr("user.chatfs.verified", file) == "0")

            // The worker catches up; a new message makes the chat's media list due again.
            #expect(try server.request("POST", "/_test/uploads/complete").status == 200)
            let chatID = try server.chatID(titled: OutboxFixture.chatTitle)
            #expect(try server.post(chatID: chatID, sender: "bob", content: "the upload is done") == 201)
            let verified = try eventually(timeout: 30, interval: 0.2) {
                try xattr("user.chatfs.upload_state", file) == "completed" && xattr("user.chatfs.verified", file) == "1"
            }
            let state = try xattr("user.chatfs.upload_state", file), check = try xattr("user.chatfs.verified", file)
            #expect(verified, "state \(state), verified \(check)")
            #expect(try run(["cmp", pdf, file]).succeeded)
        }
    }
}
