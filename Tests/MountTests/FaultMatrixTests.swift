import Foundation
import Locking
import Testing
import TestSupport

/// The fault matrix (issue 12): every server fault × every endpoint chatfs calls × both
/// server generations, on one server and one technician mount per generation (faults are
/// switched at runtime through `/_test/faults`). For each row: chatfs does not crash, a
/// cached message and a cached chat keep answering while the fault is on, and once it is
/// cleared the tree converges: within two polls and one request timeout; a send or an
/// upload exactly once, within the same plus the outbox's 5 s pause after an unanswered
/// attempt (plus its 45 s settle window where a request in doubt never reached the server
/// and may not be sent again sooner), then the `chatfs sync` barrier.
///
/// CI runs a representative subset (every fault and every endpoint once per generation);
/// `CHATFS_FAULT_MATRIX=full` runs every row. `CHATFS_FAULT_MATRIX_REPORT=FILE` appends
/// each row's figures (latencies of the cached reads, time to converge) to FILE: they go
/// to RELIABILITY.md, never into assertions.
@Suite(.serialized, .enabled(if: MountSupport.available, "needs /dev/fuse, fusermount3 and built binaries"))
struct FaultMatrixTests {
    static let poll = 1.0
    static let requestTimeout = 3.0
    /// A row's convergence: two polls, a request that was in flight when the fault was
    /// cleared (it ends within the request timeout), and a margin for a loaded machine.
    static let convergence = 2 * poll + requestTimeout + 3

    @Test(arguments: [false, true])
    func everyFaultOnEveryEndpoint(legacy: Bool) throws {
        let rows = ProcessInfo.processInfo.environment["CHATFS_FAULT_MATRIX"] == "full"
            ? MatrixFault.all.flatMap { fault in MatrixEndpoint.allCases.map { (fault, $0) } }
            : MatrixFault.all.enumerated().map { index, fault in
                (fault, MatrixEndpoint.allCases[index % MatrixEndpoint.allCases.count])
            }
        let server = try ReferenceServer.start(legacy: legacy)
        defer { server.removeFiles() }
        let fixture = try MatrixFixture(server: server, downloads: rows.filter { $0.1 == .download }.count)
        let mount = try ChatfsMount.start(server: server, user: "bob", poll: Self.poll,
                                          extraArguments: ["--request-timeout", String(Int(Self.requestTimeout)),
                                                           "--send-delay", "0"])
        defer { mount.removeFiles() }
        try fixture.warm(mount)
        var report: [String] = []
        for (fault, endpoint) in rows {
            let row = "\(legacy ? "deployed" : "delta") \(fault.name) × \(endpoint)"
            let figures = try runRow(fault: fault, endpoint: endpoint, fixture: fixture, mount: mount, row: row)
            report.append("| \(legacy ? "deployed" : "delta") | \(fault.name) | \(endpoint) | \(figures) |")
            guard mount.isRunning, mount.isMounted else {
                Issue.record("\(row): chatfs is gone; log:\n\(mount.log.suffix(4000))")
                break
            }
        }
        try? server.clearFaults()
        FileHandle.standardError.write(Data((report.joined(separator: "\n") + "\n").utf8))
        if let file = ProcessInfo.processInfo.environment["CHATFS_FAULT_MATRIX_REPORT"],
           let handle = FileHandle(forWritingAtPath: file) ?? {
               FileManager.default.createFile(atPath: file, contents: nil)
               return FileHandle(forWritingAtPath: file)
           }() {
            handle.seekToEndOfFile()
            handle.write(Data((report.joined(separator: "\n") + "\n").utf8))
            try? handle.close()
        }
    }

    /// One row; returns its figures as table cells: the slowest cached `cat` and `ls` during
    /// the fault, and the time to converge.
    private func runRow(fault: MatrixFault, endpoint: MatrixEndpoint, fixture: MatrixFixture, mount: ChatfsMount,
                        row: String) throws -> String {
        let server = fixture.server
        let before = try fixture.hits(endpoint)
        for rule in endpoint.rules {
            try server.injectFault(fault.rule.merging(rule) { $1 })
        }
        let action = try fixture.startAction(endpoint, mount: mount)
        let hit = try eventually(timeout: 20, interval: 0.05) { try fixture.hits(endpoint) > before }
        #expect(hit, "\(row): the fault was never hit")
        // The cached reads, while the faulted request may still be in flight.
        var catWorst = 0.0, lsWorst = 0.0
        for _ in 0..<3 {
            let (cat, catSeconds) = try timed { try run(["cat", fixture.cachedMessage(mount)], timeout: 30) }
            #expect(cat.succeeded && cat.stdout.contains(MatrixFixture.firstText), "\(row): cat of a cached message: \(cat.stderr)")
            let (ls, lsSeconds) = try timed { try run(["ls", fixture.chatDirectory(mount)], timeout: 30) }
            #expect(ls.succeeded && ls.stdout.contains(".txt"), "\(row): ls of a cached chat: \(ls.stderr)")
            catWorst = max(catWorst, catSeconds)
            lsWorst = max(lsWorst, lsSeconds)
        }
        action.finish()
        #expect(mount.isRunning && mount.isMounted, "\(row): chatfs died")
        try server.clearFaults()
        let (converged, seconds) = try timed { try fixture.converge(endpoint, fault: fault, action: action, mount: mount, row: row) }
        #expect(converged, "\(row): did not converge; log:\n\(mount.log.suffix(3000))")
        return "\(milliseconds(catWorst)) | \(milliseconds(lsWorst)) | \(converged ? String(format: "%.1f s", seconds) : "**no**")"
    }

    private func timed<T>(_ body: () throws -> T) rethrows -> (T, Double) {
        let start = Date()
        let value = try body()
        return (value, Date().timeIntervalSince(start))
    }

    private func milliseconds(_ seconds: Double) -> String { String(format: "%.0f ms", seconds * 1000) }
}

/// A server fault as a `/_test/faults` rule without its path (docs/api.md).
struct MatrixFault: Sendable {
    var name: String
    var rule: [String: any Sendable]
    /// A 200 whose body is not the answer, made without handling the request: a sender
    /// cannot tell it from a stored request whose answer was lost.
    var answersUnhandled = false

    /// The outbox's settle window (45 s, docs/outbox.md) where it applies: an unhandled
    /// request left in doubt is not on the server, and the sender may not send again until
    /// the window has passed, for an upload (never deduplicated) and, on the deployed
    /// generation, for a message. Nothing else waits for it.
    func settleWindow(_ endpoint: MatrixEndpoint, legacy: Bool) -> Double {
        guard answersUnhandled else { return 0 }
        return endpoint == .upload || (endpoint == .send && legacy) ? 45 : 0
    }

    static let all: [MatrixFault] = [
        // Ordered so the CI subset (fault i on endpoint i mod 7) pairs the faults a sender
        // cannot tell from a stored message (a 200 it cannot read) with reads, not sends:
        // on the deployed generation such a send waits out its 45 s settle window.
        MatrixFault(name: "malformed JSON", rule: ["action": "malformed-json"], answersUnhandled: true),
        MatrixFault(name: "truncated JSON", rule: ["action": "truncated-json"]),
        MatrixFault(name: "reset mid-body", rule: ["action": "reset-mid-body"]),
        MatrixFault(name: "trickle", rule: ["action": "trickle", "secondsPerByte": 1]),
        MatrixFault(name: "wrong content type", rule: ["action": "wrong-content-type"], answersUnhandled: true),
        MatrixFault(name: "100 MB body", rule: ["action": "huge-body", "bytes": 100_000_000], answersUnhandled: true),
        MatrixFault(name: "429 Retry-After future", rule: ["action": "status", "status": 429,
                                                           "retryAfter": httpDate(Date().addingTimeInterval(3600))]),
        MatrixFault(name: "503 Retry-After past", rule: ["action": "status", "status": 503,
                                                         "retryAfter": "Wed, 21 Oct 2015 07:28:00 GMT"]),
        MatrixFault(name: "500", rule: ["action": "status", "status": 500]),
        MatrixFault(name: "delay past the timeout", rule: ["action": "delay", "delaySeconds": 5]),
        MatrixFault(name: "drop after commit", rule: ["action": "drop-after-commit"]),
    ]

    static func httpDate(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter.string(from: date)
    }
}

/// What chatfs asks the server, and how a row reaches it.
enum MatrixEndpoint: String, CaseIterable, CustomStringConvertible, Sendable {
    case chatList = "chat list"
    case messagePages = "message pages"
    case send
    case upload
    case mediaList = "media list"
    case download
    case views = "technician views"

    var description: String { rawValue }

    /// The fault rules' paths and methods.
    var rules: [[String: any Sendable]] {
        switch self {
        case .chatList: [["pathContains": "/chat/page-data"]]
        case .messagePages: [["pathContains": "/chat/messages/request/", "method": "GET"]]
        case .send: [["pathContains": "/chat/messages", "method": "POST"]]
        case .upload: [["pathContains": "/upload", "method": "POST"]]
        case .mediaList: [["pathContains": "/chat-files/request/"], ["pathContains": "/screenshots/request/"]]
        case .download: [["pathContains": "/download"]]
        case .views: [["pathContains": "/requests/technician-views"]]
        }
    }

    /// Whether a `/_test/requests` key (`GET /chat/page-data`) is this endpoint's.
    func counts(_ key: String) -> Bool {
        switch self {
        case .chatList: key == "GET /chat/page-data"
        case .messagePages: key.hasPrefix("GET /chat/messages/request/")
        case .send: key == "POST /chat/messages"
        case .upload: key.hasPrefix("POST ") && key.hasSuffix("/upload")
        case .mediaList: key.hasPrefix("GET /chat-files/request/") || key.hasPrefix("GET /screenshots/request/")
        case .download: key.hasSuffix("/download")
        case .views: key.hasPrefix("GET /requests/technician-views")
        }
    }
}

/// What a row started while the fault is on, for its convergence to check.
final class MatrixAction: Sendable {
    /// The text sent, the attachment uploaded, the title created...
    let expected: String
    /// A command left running in the background (a `cat` of a download, an `ls` of a view).
    private let process: Process?

    init(expected: String, process: Process? = nil) {
        self.expected = expected
        self.process = process
    }

    /// Waits for the background command (it ends within the request timeout or a bounded
    /// wait; killed after 60 s, this PID only).
    func finish() {
        guard let process else { return }
        if !eventually(timeout: 60, interval: 0.05, { !process.isRunning }) {
            kill(process.processIdentifier, SIGKILL)
        }
        process.waitUntilExit()
    }
}

/// bob's chat of the matrix and its attachments on the server, and how each endpoint is
/// driven and checked.
struct MatrixFixture {
    static let chatTitle = "Fault matrix"
    static let firstText = "The first message of the fault matrix"

    let server: ReferenceServer
    let chatID: String
    /// Names of the attachments uploaded for the download rows, one per row.
    let downloadNames: [String]
    private let nextDownload = Counter()
    private let local: TemporaryDirectory

    init(server: ReferenceServer, downloads: Int) throws {
        self.server = server
        local = try TemporaryDirectory("chatfs-matrix")
        chatID = try server.createChat(title: Self.chatTitle, requester: "bob")
        downloadNames = (0..<downloads).map { "d\($0).bin" }
        #expect(try server.post(chatID: chatID, sender: "bob", content: Self.firstText) == 201)
        for name in downloadNames {
            try upload(name: name, contents: Self.contents(of: name))
        }
    }

    /// 3,000 bytes that differ from one name to the next.
    static func contents(of name: String) -> Data {
        let seed = name.utf8.reduce(0) { $0 &* 31 &+ Int($1) }
        return Data((0..<3000).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ seed) })
    }

    func chatDirectory(_ mount: ChatfsMount) -> String { mount.path(Self.chatTitle) }

    /// The message file of the first message (listed by `warm`).
    func cachedMessage(_ mount: ChatfsMount) throws -> String {
        chatDirectory(mount) + "/" + (try files(chatDirectory(mount)).first { $0.hasPrefix("000002-") } ?? "missing")
    }

    func files(_ directory: String) throws -> [String] {
        try run(["ls", "-A", directory]).stdout.split(separator: "\n").map(String.init)
    }

    /// Visits the chat, reads its first message and its media listing, and lists a view:
    /// what the rows' cached reads rely on.
    func warm(_ mount: ChatfsMount) throws {
        #expect(try eventually(timeout: 30, interval: 0.1) { try files(mount.mountPoint).contains(Self.chatTitle) })
        #expect(try run(["cat", try cachedMessage(mount)]).stdout.contains(Self.firstText))
        #expect(try eventually(timeout: 30, interval: 0.2) { try files(chatDirectory(mount) + "/media").count == downloadNames.count })
        _ = try files(mount.path("queues/unassigned"))
    }

    /// The server's count of requests to `endpoint` (served or faulted).
    func hits(_ endpoint: MatrixEndpoint) throws -> Int {
        let answer = try server.request("GET", "/_test/requests")
        let object = try JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [String: Any]
        let counts = object?["counts"] as? [String: Int] ?? [:]
        return counts.filter { endpoint.counts($0.key) }.values.reduce(0, +)
    }

    /// Makes chatfs call `endpoint` while the fault is on.
    func startAction(_ endpoint: MatrixEndpoint, mount: ChatfsMount) throws -> MatrixAction {
        let unique = UUID().uuidString.prefix(8)
        switch endpoint {
        case .chatList:
            // The poller asks every poll; what it must bring once the fault is gone:
            return MatrixAction(expected: "")
        case .messagePages:
            // A new message: the chat list announces it, the poller fetches the page.
            let text = "posted during the fault \(unique)"
            #expect(try server.post(chatID: chatID, sender: "alice", content: text) == 201)
            return MatrixAction(expected: text)
        case .send:
            let text = "sent during the fault \(unique)"
            let write = try run(["bash", "-c", "printf '%s\\n' \"$1\" > \"$2\"", "-", text,
                                 chatDirectory(mount) + "/outbox/m-\(unique).txt"])
            #expect(write.succeeded, "\(write.stderr)")
            return MatrixAction(expected: text)
        case .upload:
            let name = "u-\(unique).pdf"
            let path = local.path + "/" + name
            _ = FileManager.default.createFile(atPath: path, contents: Data("%PDF-1.4\n\(unique)\n%%EOF\n".utf8))
            let copy = try run(["cp", path, chatDirectory(mount) + "/outbox/"])
            #expect(copy.succeeded, "\(copy.stderr)")
            return MatrixAction(expected: name)
        case .mediaList:
            // A new attachment and a message: the chat's media list is due again.
            let name = "l-\(unique).bin"
            try upload(name: name, contents: Data("listed \(unique)".utf8))
            #expect(try server.post(chatID: chatID, sender: "alice", content: "see \(name)") == 201)
            return MatrixAction(expected: name)
        case .download:
            let name = downloadNames[nextDownload.next()]
            let file = try mediaPath(name, mount: mount)
            return MatrixAction(expected: name, process: try background(["cat", file]))
        case .views:
            return MatrixAction(expected: "", process: try background(["ls", mount.path("queues/unassigned")]))
        }
    }

    /// Whether the tree caught up with the server once the fault is gone.
    func converge(_ endpoint: MatrixEndpoint, fault: MatrixFault, action: MatrixAction, mount: ChatfsMount,
                  row: String) throws -> Bool {
        let within = FaultMatrixTests.convergence
        switch endpoint {
        case .chatList:
            let title = "Matrix chat \(UUID().uuidString.prefix(8))"
            _ = try server.createChat(title: title, requester: "bob")
            return try eventually(timeout: within, interval: 0.05) { try files(mount.mountPoint).contains(title) }
        case .messagePages:
            return try eventually(timeout: within, interval: 0.05) {
                try serverCount() == files(chatDirectory(mount)).filter { $0.hasSuffix(".txt") }.count
            }
        case .send, .upload:
            let content = endpoint == .send ? action.expected : "[File: \(action.expected)]"
            func copies() throws -> Int {
                try server.messages(chatID: chatID, user: "bob").filter { $0["content"] as? String == content }.count
            }
            // A send in doubt is tried again after the outbox's no-answer pause (5 s,
            // docs/outbox.md), not at a poll.
            let retry = 5.0
            let sent = try eventually(timeout: within + retry + fault.settleWindow(endpoint, legacy: server.legacy),
                                      interval: 0.2) {
                try copies() > 0 && files(chatDirectory(mount) + "/outbox").isEmpty
            }
            let sync = try run([Binaries.chatfs, "sync", mount.mountPoint], timeout: 180)
            #expect(sync.succeeded, "\(row): chatfs sync: \(sync.stdout) \(sync.stderr)")
            let count = try copies()
            #expect(count == 1, "\(row): \(count) copies of \(content) on the server")
            return sent && sync.succeeded && count == 1
        case .mediaList:
            return try eventually(timeout: within, interval: 0.05) {
                try files(chatDirectory(mount) + "/media").contains { $0.hasSuffix(action.expected) }
            }
        case .download:
            let file = try mediaPath(action.expected, mount: mount)
            let expected = try sha256(Self.contents(of: action.expected))
            return try eventually(timeout: within, interval: 0.2) {
                let cat = try run(["sha256sum", file], timeout: 30)
                return cat.succeeded && cat.stdout.hasPrefix(expected)
            }
        case .views:
            let title = "Matrix request \(UUID().uuidString.prefix(8))"
            _ = try server.createChat(title: title, requester: "alice")
            return try eventually(timeout: within, interval: 0.05) {
                try files(mount.path("queues/unassigned")).contains(title)
            }
        }
    }

    private func serverCount() throws -> Int { try server.messages(chatID: chatID, user: "bob").count }

    private func mediaPath(_ name: String, mount: ChatfsMount) throws -> String {
        let media = chatDirectory(mount) + "/media"
        return media + "/" + (try files(media).first { $0.hasSuffix("-" + name) } ?? name)
    }

    private func sha256(_ data: Data) throws -> String {
        let path = local.path + "/expected"
        _ = FileManager.default.createFile(atPath: path, contents: data)
        return String(try run(["sha256sum", path]).stdout.prefix(64))
    }

    /// Uploads an attachment to the chat as bob, straight to the server.
    private func upload(name: String, contents: Data) throws {
        let path = local.path + "/" + name
        _ = FileManager.default.createFile(atPath: path, contents: contents)
        let upload = try run(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}",
                              "-H", "Authorization: Bearer \(try server.login("bob"))",
                              "-F", "file=@\(path);filename=\(name)",
                              "\(server.url)/api/v1/chat-files/upload?request_id=\(chatID)"])
        #expect(upload.stdout == "201", "upload of \(name): \(upload.stdout) \(upload.stderr)")
    }

    private func background(_ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }
}

/// The next download row's file.
private final class Counter: Sendable {
    private let value = Locked(0)

    func next() -> Int {
        value.withLock { value in
            defer { value += 1 }
            return value
        }
    }
}
