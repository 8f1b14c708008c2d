import Foundation
import Testing
import TestSupport

/// `<chat>/transcript` followed with the real `tail -f` (README "Following a chat").
@Suite(.serialized, .enabled(if: MountSupport.available, "needs /dev/fuse, fusermount3 and built binaries"))
struct FollowTests {
    static let poll = 1.0
    /// Two sync polls, and the second `tail` waits between its looks.
    static let twoPolls = 2 * poll + 1 + 1.5

    /// The `follow N` lines a `tail` printed, in the order it printed them.
    static func followed(_ output: StreamCollector, tag: String) -> [Int] {
        output.lines.compactMap { $0.hasPrefix(tag + " ") ? Int($0.dropFirst(tag.count + 1)) : nil }
    }

    func follow(chat title: String, directory: String, count: Int) throws {
        try withDemoMount(poll: Self.poll) { server, mount in
            let chatID = try server.chatID(titled: title)
            #expect(try run(["ls", mount.path(directory)]).succeeded)  // the first visit syncs it
            let link = mount.path(directory + "/transcript")
            #expect(try run(["readlink", link]).stdout.hasPrefix("../.chatfs/transcripts/"))
            let tail = try CollectedProcess(["tail", "-n", "0", "-f", link])
            defer { tail.stop() }
            // tail is following once it has opened the file.
            #expect(eventually(timeout: 10) { Self.opens(pid: tail.process.processIdentifier, suffix: "transcripts/") })
            let tag = "follow-\(UUID().uuidString.prefix(8))"
            #expect(try server.post(chatID: chatID, sender: "bob", content: "\(tag) 1") == 201)
            #expect(eventually(timeout: Self.twoPolls, interval: 0.05) { Self.followed(tail.output, tag: tag) == [1] },
                    "shown within two polls: \(tail.output.text)")
            for number in 2...count {
                #expect(try server.post(chatID: chatID, sender: number.isMultiple(of: 2) ? "alice" : "bob",
                                        content: "\(tag) \(number)") == 201)
            }
            #expect(eventually(timeout: 60, interval: 0.1) { Self.followed(tail.output, tag: tag).count >= count })
            // Nothing twice, nothing skipped, in order; each message exactly as its file reads.
            #expect(Self.followed(tail.output, tag: tag) == Array(1...count))
            let files = try run(["ls", mount.path(directory)]).stdout.split(separator: "\n").filter { $0.hasSuffix(".txt") }
                .suffix(count)
            let expected = try files.map { try run(["cat", mount.path(directory + "/" + $0)]).stdout }
            for file in expected { #expect(tail.output.text.contains(file)) }
        }
    }

    static func opens(pid: Int32, suffix: String) -> Bool {
        let fds = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd")) ?? []
        return fds.contains { fd in
            ((try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/fd/\(fd)")) ?? "").contains(suffix)
        }
    }

    @Test func tailFollowsAChatWithoutRepeatingOrSkipping() throws {
        try follow(chat: "VPN / remote access", directory: "VPN ／ remote access", count: 100)
    }

    /// Its history (10,000 messages) is still being fetched behind the newest page.
    @Test func tailFollowsAChatWhoseHistoryIsStillBackfilling() throws {
        try follow(chat: "Big history", directory: "Big history", count: 30)
    }

    /// The transcript holds exactly the bytes of the message files it lists, in order.
    @Test func theTranscriptIsItsMessageFilesAndItsSizeIsExact() throws {
        try withDemoMount { _, mount in
            let directory = mount.path("VPN ／ remote access")
            let names = try run(["ls", directory]).stdout.split(separator: "\n").filter { $0.hasSuffix(".txt") }
            let transcript = try run(["cat", directory + "/transcript"]).stdout
            let rule = "\n" + String(repeating: "=", count: 72) + "\n"
            let expected = try names.map { try run(["cat", directory + "/" + $0]).stdout + rule }.joined()
            #expect(!names.isEmpty)
            #expect(transcript == expected)
            #expect(try run(["stat", "-L", "-c", "%s", directory + "/transcript"]).stdout == "\(expected.utf8.count)\n")
            // Looked up, never listed.
            #expect(try run(["ls", "-A", mount.path(".chatfs")]).stdout == "status\nstatus.json\n")
            #expect(try run(["ls", "-A", mount.path(".chatfs/transcripts")]).stdout.isEmpty)
        }
    }
}
