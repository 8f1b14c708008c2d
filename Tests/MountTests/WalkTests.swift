import Foundation
import Testing
import TestSupport

/// Recursive walkers of the whole mount with transcripts and the event stream present
/// (README "Following a chat", "Events"): they finish and read each message once.
@Suite(.serialized, .enabled(if: MountSupport.available, "needs /dev/fuse, fusermount3 and built binaries"))
struct WalkTests {
    @Test func walkersFinishAndReadEachMessageOnce() throws {
        try withDemoMount { _, mount in
            let chat = mount.path("VPN ／ remote access")
            #expect(try run(["ls", chat]).succeeded)
            // The transcript repeats every message: a walker following it would count them twice.
            let transcriptIDs = try run(["grep", "-c", "^Message-Id: ", chat + "/transcript"]).stdout
            #expect((Int(transcriptIDs.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0) > 0)
            // A reader waiting on the stream meanwhile.
            let events = try CollectedProcess(["cat", mount.path(".chatfs/events")])
            defer { events.stop() }

            let grep = try run(["grep", "-r", "-h", "^Message-Id: ", mount.mountPoint], timeout: 300)
            #expect(grep.succeeded, "\(grep.stderr)")
            let ids = grep.stdout.split(separator: "\n")
            #expect(ids.count > 0 && Set(ids).count == ids.count, "no message read twice")

            let find = try run(["find", mount.mountPoint], timeout: 300)
            #expect(find.succeeded)
            #expect(!find.stdout.contains("/.chatfs/events") && !find.stdout.contains("/.chatfs/transcripts"))
            let links = try run(["find", mount.mountPoint, "-name", "transcript", "-type", "l"], timeout: 300).stdout
            #expect(links.contains(chat + "/transcript"))

            #expect(try run(["du", "-s", mount.mountPoint], timeout: 300).succeeded)
            let target = try makeTemporaryDirectory("chatfs-rsync")
            defer { try? FileManager.default.removeItem(atPath: target) }
            let rsync = try run(["rsync", "-a", "--dry-run", "--out-format=%n", mount.mountPoint + "/", target], timeout: 300)
            #expect(rsync.succeeded, "\(rsync.stderr)")
            #expect(!rsync.stdout.contains(".chatfs/events") && !rsync.stdout.contains(".chatfs/transcripts/"))
        }
    }
}
