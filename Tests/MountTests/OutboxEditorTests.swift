import Foundation
import Testing
import TestSupport

/// Real tools that write a temporary file and rename it over the target (issue 7, defects 2
/// and 4): each edit produces exactly one message with the final text, with the default
/// send window. Tools a machine lacks (rsync) are skipped.
@Suite(.serialized, .enabled(if: MountSupport.available, "needs /dev/fuse, fusermount3 and built binaries"))
struct OutboxEditorTests {
    @Test(arguments: [false, true])
    func sedInPlaceOnAWaitingMessageSendsOneMessageWithTheFinalText(legacy: Bool) throws {
        try withOutbox(legacy: legacy) { f in
            let id = UUID().uuidString.prefix(8)
            let edit = try f.shell("printf 'a-line %s\\n' \(id) > x.txt && sed -i s/a/b/ x.txt")
            #expect(edit.succeeded, "sed -i: \(edit.stderr)")
            #expect(try f.sync().succeeded)
            #expect(try f.newTexts() == ["b-line \(id)"])
            #expect(try f.listing().isEmpty)
        }
    }

    @Test(arguments: [false, true])
    func perlInPlaceOnAWaitingMessageSendsOneMessageWithTheFinalText(legacy: Bool) throws {
        try withOutbox(legacy: legacy) { f in
            let id = UUID().uuidString.prefix(8)
            let edit = try f.shell("printf 'a-line %s\\n' \(id) > x.txt && perl -pi -e s/a/b/ x.txt")
            #expect(edit.succeeded, "perl -pi: \(edit.stderr)")
            #expect(try f.sync().succeeded)
            #expect(try f.newTexts() == ["b-line \(id)"])
            #expect(try f.listing().isEmpty)
        }
    }

    /// The repro of defect 4 as users meet it: two saves a moment apart. Within the default
    /// window they are one message: only B arrives, exactly once.
    @Test(.enabled(if: installed("vim"), "vim is not installed"), arguments: [false, true])
    func vimSavingTwiceSendsOnlyTheFinalText(legacy: Bool) throws {
        try withOutbox(legacy: legacy) { f in
            let a = uniqueText("vim first save")
            let b = uniqueText("vim second save")
            let vim = try run(["vim", "-Es", "-u", "NONE", "-c", "call setline(1,'\(a)')", "-c", "w",
                               "-c", "call setline(1,'\(b)')", "-c", "wq", "v.txt"], in: f.box, timeout: 60)
            #expect(vim.succeeded, "vim: \(vim.stdout) \(vim.stderr)")
            #expect(try f.sync().succeeded)
            #expect(try f.newTexts() == [b], "only B, exactly once")
            #expect(try f.listing().isEmpty)
        }
    }

    /// The same two saves with no window (`--send-delay 0`): A may go (the user saved it), and
    /// B is never lost silently: either it arrives, once, or vim is told its save failed
    /// (A was sent while vim wrote it again: the file it opened is gone).
    @Test(.enabled(if: installed("vim"), "vim is not installed"), arguments: [false, true])
    func vimSavingTwiceWithNoWindowNeverLosesTheFinalText(legacy: Bool) throws {
        try withOutbox(legacy: legacy, mountArguments: ["--send-delay", "0"]) { f in
            let a = uniqueText("vim first save")
            let b = uniqueText("vim second save")
            let vim = try run(["vim", "-Es", "-u", "NONE", "-c", "call setline(1,'\(a)')", "-c", "w",
                               "-c", "call setline(1,'\(b)')", "-c", "wq", "v.txt"], in: f.box, timeout: 60)
            #expect(try f.sync().succeeded)
            let texts = try f.newTexts()
            if vim.succeeded {
                #expect(texts == [b] || texts == [a, b], "B arrives once (after A, if A went): \(texts)")
            } else {
                #expect(texts == [a] || texts == [a, b], "vim reported the failed save; A was sent: \(texts)")
            }
            #expect(try f.listing().isEmpty)
        }
    }

    /// `install` over a waiting message: it removes the target and writes it anew.
    @Test(.enabled(if: installed("install"), "install is not installed"), arguments: [false, true])
    func installOverAWaitingMessageSendsOnlyTheNewText(legacy: Bool) throws {
        try withLocalFolder { local in
            try withOutbox(legacy: legacy) { f in
                let old = uniqueText("installed old")
                let new = uniqueText("installed new")
                _ = FileManager.default.createFile(atPath: local + "/new.txt", contents: Data((new + "\n").utf8))
                let edit = try f.shell("printf '%s\\n' '\(old)' > x.txt && install -m 644 '\(local)/new.txt' x.txt")
                #expect(edit.succeeded, "install: \(edit.stderr)")
                #expect(try f.sync().succeeded)
                #expect(try f.newTexts() == [new])
                #expect(try f.listing().isEmpty)
            }
        }
    }

    /// rsync writes `.x.txt.XXXXXX` and renames it over the target.
    @Test(.enabled(if: installed("rsync"), "rsync is not installed"), arguments: [false, true])
    func rsyncOverAWaitingMessageSendsOnlyTheNewText(legacy: Bool) throws {
        try withLocalFolder { local in
            try withOutbox(legacy: legacy) { f in
                let old = uniqueText("rsynced old")
                // A different length: rsync's quick check skips a file of the same size and mtime.
                let new = uniqueText("rsynced new, longer")
                _ = FileManager.default.createFile(atPath: local + "/x.txt", contents: Data((new + "\n").utf8))
                let edit = try f.shell("printf '%s\\n' '\(old)' > x.txt && rsync '\(local)/x.txt' x.txt")
                #expect(edit.succeeded, "rsync: \(edit.stderr)")
                #expect(try f.sync().succeeded)
                #expect(try f.newTexts() == [new])
                #expect(try f.listing().isEmpty)
            }
        }
    }

    /// Defect 2 as seen: a draft edited with `sed -i` (whose temporary `sedXXXXXX` is not a
    /// draft name), then renamed to send. One message, the sed'ed text.
    @Test(arguments: [false, true], ["x.txt.tmp", ".x.txt"])
    func sedInPlaceOnADraftThenMvSendsTheEditedText(legacy: Bool, draft: String) throws {
        try withOutbox(legacy: legacy) { f in
            let id = UUID().uuidString.prefix(8)
            #expect(try f.shell("printf 'a-draft %s\\n' \(id) > '\(draft)'").succeeded)
            #expect(try f.state(draft) == "draft")
            let sed = try f.shell("sed -i s/a/b/ '\(draft)'")
            #expect(sed.succeeded, "sed -i: \(sed.stderr)")
            #expect(try f.listing() == [draft], "sed's temporary file is gone")
            #expect(try f.state(draft) == "draft")
            let mv = try f.shell("mv '\(draft)' x.txt")
            #expect(mv.succeeded, "\(mv.stderr)")
            #expect(try f.sync().succeeded)
            #expect(try f.newTexts() == ["b-draft \(id)"])
            #expect(try f.listing().isEmpty)
        }
    }
}
