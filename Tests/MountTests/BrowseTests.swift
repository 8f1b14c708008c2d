import Foundation
import Testing
import TestSupport

/// Browsing alice's demo chats with the tools people use on a local disk.
@Suite(.serialized, .enabled(if: MountSupport.available, "needs /dev/fuse, fusermount3 and built binaries"))
struct BrowseTests {
    @Test func rootListsEveryChatOfTheUserAndNoOneElses() throws {
        try withDemoMount { server, mount in
            let names = try run(["ls", "-A", mount.mountPoint]).stdout.split(separator: "\n").map(String.init)
            let chats = try server.chats()
            #expect(names.count == chats.count + 2)  // + .chatfs, unread
            #expect(names.contains(".chatfs") && names.contains("unread"))
            #expect(names.contains("Big history"))
            #expect(names.contains("VPN ／ remote access"))
            #expect(names.contains { $0.hasPrefix("Printer not working (") })
            #expect(names.allSatisfy { $0.utf8.count <= 255 })
            let carols = try server.chats(of: "carol").map(\.title)
            #expect(!carols.isEmpty)
            #expect(carols.allSatisfy { !names.contains($0) })
        }
    }

    @Test(arguments: [false, true])
    func bigHistoryListsAllTenThousandMessages(legacy: Bool) throws {
        try withDemoMount(legacy: legacy) { _, mount in
            let chat = mount.path("Big history")
            // The first visit lists the newest page at once; older history pages in behind.
            let first = try run(["ls", chat]).stdout.split(separator: "\n")
            #expect(first.count > 2)
            #expect(first.contains("media") && first.contains("outbox"))
            let complete = try eventually(timeout: 90, interval: 0.5) {
                try run(["ls", chat]).stdout.split(separator: "\n").count == 10_003  // + media, outbox, transcript
            }
            #expect(complete)
            let long = try run(["ls", "-l", chat])
            #expect(long.succeeded)
            #expect(long.stdout.split(separator: "\n").filter { $0.hasPrefix("-r--r--r--") }.count == 10_000)
            #expect(long.stdout.contains("000001-"))
            #expect(long.stdout.contains("010000-"))
        }
    }

    @Test func catShowsHeadersAndTheUnescapedBody() throws {
        try withDemoMount { server, mount in
            let title = "Access to <shared> folder & reports"
            let chatID = try server.chatID(titled: title)
            let escaped = try server.messages(chatID: chatID).first { ($0["content"] as? String)?.contains("&lt;") == true }
            let message = try #require(escaped)
            let sequence = try #require(message["sequenceNumber"] as? Int)
            let path = try #require(try findFile(in: mount.path(title), sequence: sequence))
            let text = try run(["cat", path]).stdout
            #expect(text.hasPrefix("From: "))
            #expect(text.contains("\nSequence: \(sequence)\n"))
            #expect(text.contains("\nMessage-Id: \(message["id"] as? String ?? "?")\n"))
            #expect(text.contains("\nDate: 20"))
            let raw = try #require(message["content"] as? String)
            let unescaped = raw.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
                .replacingOccurrences(of: "&amp;", with: "&")
            #expect(text.contains("\n\n" + unescaped))
            #expect(!text.contains("&lt;"))
        }
    }

    @Test func grepFindsAPhraseAcrossTheTree() throws {
        try withDemoMount { server, mount in
            let chatID = try server.chatID(titled: "VPN / remote access")
            let phrase = try #require(server.messages(chatID: chatID).compactMap { $0["content"] as? String }
                .first { $0.count > 12 && !$0.contains("&") }).prefix(12)
            _ = try run(["ls", mount.path("VPN ／ remote access")])
            let grep = try run(["grep", "-rlF", String(phrase), mount.mountPoint])
            #expect(grep.succeeded, "\(grep.stderr)")
            #expect(grep.stdout.contains("/VPN ／ remote access/"))
            let from = try run(["grep", "-rl", "^From: .*alice", mount.path("VPN ／ remote access")])
            #expect(from.succeeded && !from.stdout.isEmpty)
        }
    }

    @Test func statSizesAndTimesMatchTheContent() throws {
        try withDemoMount { server, mount in
            let chatID = try server.chatID(titled: "VPN / remote access")
            let messages = try server.messages(chatID: chatID)
            let dir = mount.path("VPN ／ remote access")
            let files = try run(["ls", dir]).stdout.split(separator: "\n").filter { $0.hasSuffix(".txt") }
            #expect(files.count == messages.count)
            for file in files {
                let path = dir + "/" + file
                let stat = try run(["stat", "-c", "%s %Y", path]).stdout.split(separator: " ")
                let bytes = try #require(FileManager.default.contents(atPath: path))
                #expect(Int(stat[0]) == bytes.count, "size of \(file)")
                let sequence = Int(file.prefix(6))!
                let created = try #require(messages.first { $0["sequenceNumber"] as? Int == sequence }?["createdAt"] as? String)
                let expected = try #require(parseWireDate(created))
                #expect(Int(stat[1].trimmingCharacters(in: .whitespacesAndNewlines)) == Int(expected.timeIntervalSince1970), "mtime of \(file)")
            }
        }
    }

    @Test func inodeNumbersSurviveARemount() throws {
        let server = try ReferenceServer.start()
        defer { server.stop() }
        let cache = try makeTemporaryDirectory("chatfs-cache")
        func inodes(_ mount: ChatfsMount) throws -> String {
            _ = try run(["ls", mount.path("VPN ／ remote access")])
            return try run(["ls", "-i", mount.mountPoint, mount.path("VPN ／ remote access")]).stdout
        }
        let first = try ChatfsMount.start(server: server, cacheDirectory: cache)
        let before = try { defer { first.stop() }; return try inodes(first) }()
        let second = try ChatfsMount.start(server: server, cacheDirectory: cache)
        defer { second.stop() }
        let after = try inodes(second)
        #expect(before.split(separator: "\n").count > 10)
        #expect(before.replacingOccurrences(of: first.mountPoint, with: "") == after.replacingOccurrences(of: second.mountPoint, with: ""))
    }

    @Test func readsNeverSucceedAtWriting() throws {
        try withDemoMount { _, mount in
            let dir = mount.path("VPN ／ remote access")
            let file = try #require(try run(["ls", dir]).stdout.split(separator: "\n").first { $0.hasSuffix(".txt") })
            let overwrite = try run(["sh", "-c", "echo x > '\(dir)/\(file)'"])
            #expect(!overwrite.succeeded)
            #expect(overwrite.stderr.contains("Read-only file system") || overwrite.stderr.contains("Permission denied"))
            let create = try run(["touch", dir + "/new.txt"])
            #expect(!create.succeeded)
            let remove = try run(["rm", "-f", dir + "/" + file])
            #expect(!remove.succeeded)
            let mkdir = try run(["mkdir", mount.path("new chat")])
            #expect(mkdir.stderr.contains("Read-only file system"))
            #expect(FileManager.default.fileExists(atPath: dir + "/" + file))
        }
    }

    @Test func statusFileDescribesTheMount() throws {
        try withDemoMount { server, mount in
            let status = try run(["cat", mount.path(".chatfs/status")]).stdout
            #expect(status.contains(server.url))
            #expect(status.contains("user:        alice"))
            #expect(status.contains("generation:  delta"))
            #expect(status.contains("chats:       \(try server.chats().count)"))
        }
    }
}

/// The message file of a sequence in a chat directory.
func findFile(in directory: String, sequence: Int) throws -> String? {
    let prefix = String(format: "%06d-", sequence)
    return try run(["ls", directory]).stdout.split(separator: "\n").first { $0.hasPrefix(prefix) }.map { directory + "/" + $0 }
}

/// The server's three datetime forms, as UTC.
func parseWireDate(_ text: String) -> Date? {
    var trimmed = text.hasSuffix("Z") ? String(text.dropLast()) : text
    var fraction = 0.0
    if let dot = trimmed.firstIndex(of: ".") {
        fraction = Double("0" + trimmed[dot...]) ?? 0
        trimmed = String(trimmed[..<dot])
    }
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "UTC")
    formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ss"
    return formatter.date(from: trimmed).map { $0.addingTimeInterval(fraction) }
}
