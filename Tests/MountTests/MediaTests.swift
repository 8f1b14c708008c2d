import Foundation
import Locking
import Testing
import TestSupport

/// Attachments on demand, the quota, pinning, the cache commands and the statistics, with
/// real processes: chatfs-server, a chatfs mount, and the tools people use.
@Suite(.serialized, .enabled(if: MountSupport.available, "needs /dev/fuse, fusermount3 and built binaries"))
struct MediaTests {
    static let chatTitle = "VPN / remote access"
    static let chatDir = "VPN ／ remote access"

    // MARK: helpers

    func listing(_ directory: String) throws -> [String] {
        try run(["ls", "-A", directory]).stdout.split(separator: "\n").map(String.init)
    }

    /// `ls -l` of a media folder: name → size (`<chat>/media` is a symlink: the `/` follows it).
    func sizes(_ directory: String) throws -> [String: Int] {
        var sizes: [String: Int] = [:]
        for line in try run(["ls", "-ln", directory + "/"]).stdout.split(separator: "\n") where line.hasPrefix("-") {
            let fields = line.split(separator: " ", maxSplits: 8, omittingEmptySubsequences: true)
            guard fields.count == 9, let size = Int(fields[4]) else { continue }
            sizes[String(fields[8])] = size
        }
        return sizes
    }

    func sha256(_ path: String) throws -> String {
        String(try run(["sha256sum", path]).stdout.prefix(64))
    }

    /// The server's attachments of a chat (chat files and screenshots) as it lists them,
    /// with each one's fileHash.
    func serverMedia(_ server: ReferenceServer, chatID: String) throws -> [(name: String, size: Int, sha256: String)] {
        let token = try server.login("alice")
        var found: [(String, Int, String)] = []
        for (base, nameKey) in [("chat-files", "originalFilename"), ("screenshots", "filename")] {
            let list = try server.request("GET", "/api/v1/\(base)/request/\(chatID)", token: token)
            for item in try #require(try JSONSerialization.jsonObject(with: Data(list.body.utf8)) as? [[String: Any]]) {
                guard item["uploadStatus"] as? String == "completed", item["isCorrupted"] as? Bool == false,
                      let id = item["id"] as? Int else { continue }
                let detail = try server.request("GET", "/api/v1/\(base)/\(id)", token: token)
                let object = try #require(try JSONSerialization.jsonObject(with: Data(detail.body.utf8)) as? [String: Any])
                found.append((item[nameKey] as? String ?? "", item["fileSize"] as? Int ?? -1, object["fileHash"] as? String ?? ""))
            }
        }
        return found
    }

    /// How many downloads the server served (both kinds).
    func downloads(_ server: ReferenceServer) throws -> Int {
        let answer = try server.request("GET", "/_test/requests")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [String: Any])
        let counts = object["counts"] as? [String: Int] ?? [:]
        return counts.filter { $0.key.hasPrefix("GET ") && $0.key.hasSuffix("/download") }.values.reduce(0, +)
    }

    /// Uploads `count` files of `bytes` bytes each (`f1.bin`...) to a new chat of alice's;
    /// returns the chat's title.
    func chatWithAttachments(_ server: ReferenceServer, count: Int, bytes: Int, title: String = "Many attachments") throws -> String {
        let chatID = try server.createChat(title: title)
        let token = try server.login("alice")
        let directory = try makeTemporaryDirectory("chatfs-upload")
        for index in 1...count {
            let path = "\(directory)/f\(index).bin"
            let content = Data((0..<bytes).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ index) })
            _ = FileManager.default.createFile(atPath: path, contents: content)
            let upload = try run(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-H", "Authorization: Bearer \(token)",
                                  "-F", "file=@\(path);filename=f\(index).bin",
                                  "\(server.url)/api/v1/chat-files/upload?request_id=\(chatID)"])
            #expect(upload.stdout == "201", "upload of f\(index).bin: \(upload.stdout) \(upload.stderr)")
        }
        try? FileManager.default.removeItem(atPath: directory)
        return title
    }

    /// The listed name of an uploaded `f<n>.bin` (the upload day comes first).
    func mediaName(_ directory: String, _ index: Int) throws -> String {
        try #require(try listing(directory).first { $0.hasSuffix("-f\(index).bin") })
    }

    func status(cacheDirectory: String) throws -> [String: Any] {
        let result = try run([Binaries.chatfs, "status", "--json", "--cache-dir", cacheDirectory])
        #expect(result.succeeded, "\(result.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    }

    func cat(_ path: String) throws -> CommandResult {
        try run(["cat", path])
    }

    // MARK: tests

    @Test func theListingShowsExactSizesAndCatGivesTheServersBytes() throws {
        try withDemoMount { server, mount in
            let media = mount.path(Self.chatDir + "/media")
            let listed = try sizes(media)
            let onServer = try serverMedia(server, chatID: server.chatID(titled: Self.chatTitle))
            #expect(listed.count == onServer.count && !listed.isEmpty)
            #expect(listed.keys.contains { $0.hasSuffix("-vpn-error.jpg") })
            #expect(listed.keys.contains { $0.hasSuffix("-vpn-client.log") })
            #expect(listed.keys.allSatisfy { $0.hasPrefix("20") })
            for (name, size) in listed {
                let path = media + "/" + name
                let hash = try sha256(path)
                let match = onServer.first { $0.sha256 == hash }
                #expect(match != nil, "\(name): sha256 \(hash) is none of the server's")
                #expect(match?.size == size, "\(name)")
                #expect(try run(["wc", "-c", path]).stdout.hasPrefix("\(size) "))
            }
            let screenshot = try #require(listed.keys.first { $0.hasSuffix("-vpn-error.jpg") })
            #expect(try run(["file", "-b", media + "/" + screenshot]).stdout.contains("JPEG"))
            // Pending and corrupted uploads are not listed.
            #expect(try listing(mount.path("Slow computer after update/media")).isEmpty)
            #expect(try listing(mount.path("Backup restore request/media")).isEmpty)
        }
    }

    @Test func aCorruptDownloadFailsWithEIOAndKeepsNothing() throws {
        try withDemoMount { server, mount in
            let media = mount.path(Self.chatDir + "/media")
            let name = try #require(try listing(media).first { $0.hasSuffix("-vpn-error.jpg") })
            try server.injectFault(["pathContains": "/download", "action": "corrupt"])
            let failed = try cat(media + "/" + name)
            #expect(!failed.succeeded)
            #expect(failed.stderr.contains("Input/output error"), "\(failed.stderr)")
            let blobs = (try? FileManager.default.contentsOfDirectory(atPath: mount.cacheDirectory + "/media")) ?? []
            #expect(blobs.isEmpty, "\(blobs)")
            #expect(try eventually { (try status(cacheDirectory: mount.cacheDirectory)["lastMediaError"] as? String)?.contains("sha256") == true })
            try server.clearFaults()
            let good = try cat(media + "/" + name)
            #expect(good.succeeded, "\(good.stderr)")
        }
    }

    @Test func twoConcurrentCatsDownloadOnce() throws {
        try withDemoMount { server, mount in
            let media = mount.path(Self.chatDir + "/media")
            let name = try #require(try listing(media).first { $0.hasSuffix("-vpn-client.log") })
            let before = try downloads(server)
            try server.injectFault(["pathContains": "/download", "action": "delay", "delaySeconds": 1, "times": 2])
            // Two processes at once (started from here: a shell's `wait` hangs when the test
            // runner's ignored SIGCHLD is inherited).
            let outputs = Locked<[CommandResult]>([])
            DispatchQueue.concurrentPerform(iterations: 2) { _ in
                if let result = try? cat(media + "/" + name) { outputs.withLock { $0.append(result) } }
            }
            let results = outputs.withLock { $0 }
            #expect(results.count == 2 && results.allSatisfy(\.succeeded))
            #expect(try downloads(server) == before + 1)
            #expect(results.first?.stdout.isEmpty == false && results.first?.stdout == results.last?.stdout)
        }
    }

    @Test func aSmallQuotaStaysUnderItAndEvictsTheLeastRecentlyUsed() throws {
        let server = try ReferenceServer.start()
        defer { server.stop() }
        let title = try chatWithAttachments(server, count: 8, bytes: 100_000)
        let mount = try ChatfsMount.start(server: server, extraArguments: ["--cache-size", "400K"])  // 409,600 bytes
        defer { mount.stop() }
        let media = mount.path(title + "/media")
        let quota = 409_600
        func cached(_ index: Int) throws -> Bool {
            let before = try downloads(server)
            #expect(try cat(media + "/" + mediaName(media, index)).succeeded)
            return try downloads(server) == before
        }
        for index in [1, 2, 3] { #expect(try !cached(index)) }
        #expect(try cached(1))  // f1 is now more recently used than f2 and f3
        for index in 4...8 {
            #expect(try !cached(index))
            let used = try status(cacheDirectory: mount.cacheDirectory)["usedBytes"] as? Int ?? .max
            #expect(used <= quota, "after f\(index): \(used) bytes")
        }
        // 100 kB each, evicted above 368,640 down to 327,680: the three most recent stay.
        #expect(try cached(8))
        #expect(try cached(7))
        #expect(try !cached(2))  // the least recently used went first...
        #expect(try !cached(1))  // ...and f1, refreshed earlier, later
    }

    @Test func pinnedAttachmentsSurviveEvictionAndCacheClear() throws {
        let server = try ReferenceServer.start()
        defer { server.stop() }
        let title = try chatWithAttachments(server, count: 6, bytes: 100_000)
        let mount = try ChatfsMount.start(server: server, extraArguments: ["--cache-size", "300K"])
        defer { mount.stop() }
        let media = mount.path(title + "/media")
        let pinned = media + "/" + (try mediaName(media, 1))
        #expect(try cat(pinned).succeeded)
        let pin = try run([Binaries.chatfs, "pin", pinned])
        #expect(pin.succeeded, "\(pin.stderr)")
        #expect(try run(["getfattr", "--only-values", "-n", "user.chatfs.pinned", pinned]).stdout == "1")
        for index in 2...6 { #expect(try cat(media + "/" + mediaName(media, index)).succeeded) }
        var before = try downloads(server)
        #expect(try cat(pinned).succeeded)
        #expect(try downloads(server) == before)
        let pins = try status(cacheDirectory: mount.cacheDirectory)["pinned"] as? [[String: Any]] ?? []
        #expect(pins.count == 1 && (pins.first?["name"] as? String)?.hasSuffix("-f1.bin") == true)

        let clear = try run([Binaries.chatfs, "cache", "clear", "--cache-dir", mount.cacheDirectory])
        #expect(clear.succeeded, "\(clear.stderr)")
        #expect(clear.stdout.contains("kept 1 pinned"), "\(clear.stdout)")
        before = try downloads(server)
        #expect(try cat(pinned).succeeded)
        #expect(try downloads(server) == before)
        // The mounted tree noticed: what was cleared downloads again, intact.
        let other = media + "/" + (try mediaName(media, 6))
        let reread = try cat(other)
        #expect(reread.succeeded)
        #expect(try downloads(server) == before + 1)
        #expect(try run([Binaries.chatfs, "unpin", pinned]).succeeded)
        #expect(try run(["getfattr", "--only-values", "-n", "user.chatfs.pinned", pinned]).stdout == "0")
    }

    @Test func clearByDateRangeRemovesExactlyThatRange() throws {
        let server = try ReferenceServer.start()
        defer { server.stop() }
        let chatID = try server.createChat(title: "Dated messages")
        for (day, text) in [("2025-01-10", "january"), ("2025-02-10", "february"), ("2025-03-10", "march")] {
            let body = try JSONSerialization.data(withJSONObject: ["sender": "bob", "content": text, "createdAt": day + "T12:00:00Z"])
            #expect(try server.request("POST", "/_test/chats/\(chatID)/messages", json: String(decoding: body, as: UTF8.self)).status == 201)
        }
        let cache = try makeTemporaryDirectory("chatfs-cache")
        do {
            let mount = try ChatfsMount.start(server: server, cacheDirectory: cache)
            defer { mount.stop() }
            #expect(try listing(mount.path("Dated messages")).filter { $0.hasSuffix(".txt") }.count == 4)
        }
        func held() throws -> Int {
            let chats = try status(cacheDirectory: cache)["chats"] as? [[String: Any]] ?? []
            return chats.first { $0["name"] as? String == "Dated messages" }?["messagesHeld"] as? Int ?? -1
        }
        #expect(try held() == 4)
        let february = try run([Binaries.chatfs, "cache", "clear", "--after", "2025-02-01", "--before", "2025-03-01", "--cache-dir", cache])
        #expect(february.succeeded, "\(february.stderr)")
        #expect(february.stdout.contains("1 message(s)"), "\(february.stdout)")
        #expect(try held() == 3)
        let older = try run([Binaries.chatfs, "cache", "clear", "--before", "2025-03-01", "--cache-dir", cache])
        #expect(older.stdout.contains("1 message(s)"), "\(older.stdout)")  // january; february is gone already
        let rest = try run([Binaries.chatfs, "cache", "clear", "--older-than", "30d", "--cache-dir", cache])
        #expect(rest.stdout.contains("1 message(s)"), "\(rest.stdout)")  // march; the title is from today
        #expect(try held() == 1)
        // A later visit fetches the history again.
        let again = try ChatfsMount.start(server: server, cacheDirectory: cache)
        defer { again.stop() }
        #expect(try listing(again.path("Dated messages")).filter { $0.hasSuffix(".txt") }.count == 4)
    }

    @Test func theHitRateCountsAScriptedSequenceOfOpens() throws {
        try withDemoMount { server, mount in
            let media = mount.path(Self.chatDir + "/media")
            let names = try listing(media).sorted()
            #expect(names.count >= 2)
            // miss, hit, miss, hit, hit
            for name in [names[0], names[0], names[1], names[0], names[1]] {
                #expect(try cat(media + "/" + name).succeeded)
            }
            let counted = try eventually(timeout: 10) {
                let json = try status(cacheDirectory: mount.cacheDirectory)
                return json["mediaHits"] as? Int == 3 && json["mediaMisses"] as? Int == 2
            }
            #expect(counted)
            #expect(try status(cacheDirectory: mount.cacheDirectory)["mediaHitRate"] as? Double == 0.6)
            #expect(try downloads(server) == 2)
        }
    }

    @Test func theStatusShowsUsageQuotaHitsAndEachChat() throws {
        let server = try ReferenceServer.start()
        defer { server.stop() }
        let mount = try ChatfsMount.start(server: server, extraArguments: ["--cache-size", "2G"])
        defer { mount.stop() }
        let media = mount.path(Self.chatDir + "/media")
        let name = try #require(try listing(media).first { $0.hasSuffix("-vpn-client.log") })
        let size = try #require(try sizes(media)[name])
        #expect(try cat(media + "/" + name).succeeded)
        #expect(try eventually(timeout: 10) { try status(cacheDirectory: mount.cacheDirectory)["mediaMisses"] as? Int == 1 })
        let json = try status(cacheDirectory: mount.cacheDirectory)
        #expect(json["quotaBytes"] as? Int == 2 << 30)
        #expect(json["mediaBytes"] as? Int == size)
        let used = try #require(json["usedBytes"] as? Int)
        #expect(used >= size && json["messageBytes"] as? Int == used - size)
        #expect((json["usedPercent"] as? Double).map { $0 >= 0 && $0 < 1 } == true)
        for key in ["chatHits", "chatMisses", "pendingSends", "failedSends", "pinned", "lastSyncAt"] {
            #expect(json[key] != nil, "\(key)")
        }
        let chat = try #require((json["chats"] as? [[String: Any]])?.first { $0["name"] as? String == Self.chatDir })
        #expect(chat["mediaBytes"] as? Int == size)
        #expect(chat["mediaFiles"] as? Int == 3)
        #expect((chat["messageBytes"] as? Int ?? 0) > 0 && chat["pinnedBytes"] as? Int == 0)
        #expect(chat["lastVisitedAt"] != nil)
        let text = try String(contentsOfFile: mount.path(".chatfs/status"), encoding: .utf8)
        #expect(text.contains("quota:") && text.contains("hit rate:"))
    }

    @Test func prefetchOfAllChatsCompletesAndRespectsTheQuota() throws {
        let server = try ReferenceServer.start()
        defer { server.stop() }
        let roomy = try makeTemporaryDirectory("chatfs-cache")
        let all = try run([Binaries.chatfs, "prefetch", "--all", "--media", "--server", server.url, "--user", "alice",
                           "--cache-dir", roomy], timeout: 300)
        #expect(all.succeeded, "\(all.stdout)\n\(all.stderr)")
        #expect(all.stderr.contains("chats"))  // plain progress lines (not a terminal)
        let json = try status(cacheDirectory: roomy)
        let chats = json["chats"] as? [[String: Any]] ?? []
        #expect(chats.count == (try server.chats().count))
        #expect(chats.allSatisfy { $0["backfillDone"] as? Bool == true && $0["messagesHeld"] as? Int == $0["serverLastSequence"] as? Int })
        #expect(chats.first { $0["name"] as? String == "Big history" }?["messagesHeld"] as? Int == 10_000)
        #expect((json["mediaBytes"] as? Int ?? 0) > 0)

        // With a 1 MB quota (set by a mount) the 10,000-message chat cannot fit: it stops at 90 %.
        let small = try makeTemporaryDirectory("chatfs-cache")
        do {
            let mount = try ChatfsMount.start(server: server, cacheDirectory: small, extraArguments: ["--cache-size", "1M"])
            mount.stop()
        }
        let stopped = try run([Binaries.chatfs, "prefetch", "--all", "--server", server.url, "--user", "alice", "--cache-dir", small],
                              timeout: 300)
        #expect(stopped.status == 3, "\(stopped.stdout)\n\(stopped.stderr)")
        #expect(stopped.stdout.contains("quota"))
        let used = try status(cacheDirectory: small)["usedBytes"] as? Int ?? .max
        #expect(used <= 1 << 20)
    }
}
