import Foundation
import Testing
import TestSupport

/// Refusals a user cannot miss (issue 7): a refused file stays listed as `<name>.refused`,
/// read-only, with its reason, whatever tool wrote it; and a refused file queues nothing,
/// ever (defect 3: a file over 50 MiB was partly uploaded and announced).
@Suite(.serialized, .enabled(if: MountSupport.available, "needs /dev/fuse, fusermount3 and built binaries"))
struct OutboxRefusedTests {
    /// bash ignores close() errors of a redirection: `echo "" > outbox/x` reports success.
    @Test func aRefusedShellRedirectionStaysVisibleAsDotRefused() throws {
        try withOutbox { f in
            _ = try f.shell("echo \"\" > x")  // exits 0 (bash ignores the refusal at close)
            #expect(try eventually(timeout: 10) { try f.listing() == ["x.refused"] }, "listing: \((try? f.listing()) ?? [])")
            #expect(try f.state("x.refused") == "refused")
            #expect(try !f.xattr("user.chatfs.last_error", "x.refused").isEmpty, "the reason is in last_error")
            let status = try run(["cat", f.mount.path(".chatfs/status")]).stdout
            #expect(status.contains("x.refused") || status.contains("outbox/x"), "\(status)")
            // Read-only: neither a rewrite nor an append is taken.
            #expect(try !f.shell("echo 'second try' > x.refused").succeeded)
            #expect(try !f.shell("echo 'more' >> x.refused").succeeded)
            #expect(try f.listing() == ["x.refused"])
            #expect(try f.sync().succeeded)
            #expect(try f.newTexts().isEmpty, "nothing reaches the server")
            let rm = try f.shell("rm x.refused")
            #expect(rm.succeeded, "rm dismisses it: \(rm.stderr)")
            #expect(try f.listing().isEmpty)
        }
    }

    /// Each kind of refusal: the copy fails with its reason and the file stays listed.
    @Test func everyRefusalStaysListedWithItsReason() throws {
        try withLocalFolder { local in
            try withOutbox { f in
                _ = FileManager.default.createFile(atPath: local + "/empty.txt", contents: Data("  \n".utf8))
                _ = FileManager.default.createFile(atPath: local + "/latin1.txt", contents: Data([0x63, 0x61, 0x66, 0xE9, 0x0A]))
                _ = FileManager.default.createFile(atPath: local + "/long.txt", contents: Data(String(repeating: "a", count: 10_001).utf8))
                for (name, reason) in [("empty.txt", "Invalid argument"), ("latin1.txt", "Invalid or incomplete multibyte"),
                                       ("long.txt", "File too large")] {
                    let cp = try run(["cp", local + "/" + name, f.box])
                    #expect(!cp.succeeded, "\(name)")
                    #expect(cp.stderr.contains(reason), "\(name): \(cp.stderr)")
                }
                let expected = ["empty.txt.refused", "latin1.txt.refused", "long.txt.refused"]
                #expect(try eventually(timeout: 10) { try f.listing().sorted() == expected }, "\((try? f.listing()) ?? [])")
                for name in expected {
                    #expect(try f.state(name) == "refused", "\(name)")
                    #expect(try !f.xattr("user.chatfs.last_error", name).isEmpty, "\(name)")
                }
                #expect(try f.sync().succeeded)
                #expect(try f.newTexts().isEmpty)
                for name in expected { #expect(try f.shell("rm '\(name)'").succeeded, "\(name)") }
                #expect(try f.listing().isEmpty)
            }
        }
    }

    /// What the server must not have after a refused attachment `name`.
    func expectNothingUploaded(_ f: OutboxFixture, _ names: [String]) throws {
        let attachments = try f.serverAttachmentNames()
        for name in names {
            #expect(!attachments.contains { $0.contains(name) }, "\(name) was uploaded: \(attachments)")
            #expect(try f.count("[File: \(name)]") == 0, "\(name) was announced")
            #expect(try !f.listing().contains(name), "\(name) is queued")
        }
        #expect(try f.newTexts().isEmpty, "\((try? f.newTexts()) ?? [])")
    }

    /// Defect 3: `cp` (and `mv`, which copies into the mount) of a 60 MiB file fails with
    /// "File too large" and nothing is uploaded or announced.
    @Test func aSixtyMebibyteFileCopiedInIsRefusedAndNothingIsUploaded() throws {
        try withLocalFolder { local in
            try withOutbox { f in
                #expect(try run(["bash", "-c", "head -c 62914560 /dev/urandom > b.bin && cp b.bin c.bin"], in: local,
                                 timeout: 120).succeeded)
                let cp = try run(["cp", local + "/b.bin", f.box], timeout: 180)
                #expect(!cp.succeeded)
                #expect(cp.stderr.contains("File too large"), "\(cp.stderr)")
                let mv = try run(["mv", local + "/c.bin", f.box], timeout: 180)
                #expect(!mv.succeeded)
                #expect(mv.stderr.contains("File too large"), "\(mv.stderr)")
                #expect(FileManager.default.fileExists(atPath: local + "/c.bin"), "a failed mv keeps the source")
                let sync = try f.sync(timeout: 300)
                #expect(sync.succeeded, "\(sync.stdout) \(sync.stderr)")
                try expectNothingUploaded(f, ["b.bin", "c.bin"])
            }
        }
    }

    /// The limit is 50 MiB: one byte more is refused, mid-write, and nothing is uploaded.
    @Test func fiftyMebibytesAndOneByteAreRefused() throws {
        try withLocalFolder { local in
            try withOutbox { f in
                #expect(try run(["bash", "-c", "head -c 52428801 /dev/urandom > over.bin"], in: local, timeout: 120).succeeded)
                let cp = try run(["cp", local + "/over.bin", f.box], timeout: 180)
                #expect(!cp.succeeded)
                #expect(cp.stderr.contains("File too large"), "\(cp.stderr)")
                #expect(try f.sync(timeout: 300).succeeded)
                try expectNothingUploaded(f, ["over.bin"])
            }
        }
    }

    /// Exactly 50 MiB is accepted (uploaded and announced once).
    @Test func exactlyFiftyMebibytesAreAccepted() throws {
        try withLocalFolder { local in
            try withOutbox { f in
                #expect(try run(["bash", "-c", "head -c 52428800 /dev/urandom > full.bin"], in: local, timeout: 120).succeeded)
                let cp = try run(["cp", local + "/full.bin", f.box], timeout: 180)
                #expect(cp.succeeded, "\(cp.stderr)")
                #expect(try f.sync(timeout: 300).succeeded)
                #expect(try f.serverAttachmentNames().filter { $0 == "full.bin" }.count == 1)
                #expect(try f.count("[File: full.bin]") == 1)
                #expect(try f.listing().isEmpty)
            }
        }
    }

    /// `truncate` past 50 MiB fails with EFBIG, for a new file and for a draft, and queues nothing.
    @Test func truncatePastTheLimitFailsWithEFBIG() throws {
        try withOutbox { f in
            let new = try f.shell("truncate -s 60M t.bin")
            #expect(!new.succeeded)
            #expect(new.stderr.contains("File too large"), "\(new.stderr)")
            #expect(try f.shell("printf 'a draft\\n' > d.part").succeeded)
            let draft = try f.shell("truncate -s 60M d.part")
            #expect(!draft.succeeded)
            #expect(draft.stderr.contains("File too large"), "\(draft.stderr)")
            #expect(try run(["cat", f.path("d.part")]).stdout == "a draft\n", "a refused truncate changes nothing")
            #expect(try f.sync().succeeded)
            try expectNothingUploaded(f, ["t.bin"])
            #expect(try !f.listing().contains("t.bin"))
        }
    }
}
