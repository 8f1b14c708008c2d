import Foundation
import Testing

/// A few end-to-end checks of the built `chatfs-server` binary over HTTP (curl), for what
/// only a real process shows: the listening line, restarts on the same database, the two
/// generations, dropped connections and the rate limit.
@Suite(.serialized)
struct ServerProcessTests {
    @Test func restartOnTheSameDatabaseAndPortServesTheSameDataWithoutReseeding() throws {
        let database = FileManager.default.temporaryDirectory
            .appendingPathComponent("chatfs-server-test-\(UUID().uuidString).sqlite").path
        defer {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: database + suffix) }
        }
        let first = try RunningServer(arguments: ["--demo", "--db", database])
        #expect(first.url.hasPrefix("http://127.0.0.1:"))
        let chatsBefore = try first.chatIDs(of: "alice")
        #expect(chatsBefore.count >= 20)
        let port = first.url.split(separator: ":").last.map(String.init) ?? ""
        try first.stop()

        let second = try RunningServer(arguments: ["--demo", "--db", database, "--port", port])
        #expect(second.url == first.url)
        #expect(try second.chatIDs(of: "alice") == chatsBefore)
    }

    @Test func onlyTheDeltaGenerationAnswersDeltaHeaders() throws {
        for (arguments, expectsDelta) in [([String](), true), (["--legacy"], false)] {
            let server = try RunningServer(arguments: ["--demo"] + arguments)
            let token = try server.login("alice")
            let chat = try #require(try server.chatIDs(of: "alice").first)
            let answer = try Curl.run(["\(server.url)/api/v1/chat/messages/request/\(chat)?since_sequence=0", "-H", "Authorization: Bearer \(token)"])
            #expect(answer.status == 200)
            #expect((answer.headers["x-newest-sequence"] != nil) == expectsDelta)
            #expect(answer.headers["cache-control"] == "no-store")
        }
    }

    @Test func dropAfterCommitStoresTheMessageButAnswersNothing() throws {
        let server = try RunningServer(arguments: ["--demo", "--test-control"])
        let token = try server.login("alice")
        let chat = try #require(try server.chatIDs(of: "alice").first)
        let fault = try Curl.run([
            "\(server.url)/_test/faults", "-X", "POST", "-d",
            #"{"pathContains": "/chat/messages", "method": "POST", "action": "drop-after-commit", "times": 1}"#,
        ])
        #expect(fault.status == 201)
        let send = try Curl.run([
            "\(server.url)/api/v1/chat/messages", "-X", "POST", "-H", "Authorization: Bearer \(token)", "-d",
            #"{"requestId": "\#(chat)", "content": "sent into the void", "clientTempId": "drop-1"}"#,
        ])
        #expect(send.exitCode == 52)  // curl: empty reply from server
        let page = try Curl.run(["\(server.url)/api/v1/chat/messages/request/\(chat)?limit=1", "-H", "Authorization: Bearer \(token)"])
        #expect(String(decoding: page.body, as: UTF8.self).contains("sent into the void"))
    }

    @Test func testControlIsOffByDefaultAndSendsAreRateLimitedPerIP() throws {
        let server = try RunningServer(arguments: ["--demo", "--send-rate-limit", "2"])
        #expect(try Curl.run(["\(server.url)/_test/requests"]).status == 404)
        let token = try server.login("alice")
        let chat = try #require(try server.chatIDs(of: "alice").first)
        var statuses: [Int] = []
        var lastHeaders: [String: String] = [:]
        for index in 0..<3 {
            let send = try Curl.run([
                "\(server.url)/api/v1/chat/messages", "-X", "POST", "-H", "Authorization: Bearer \(token)", "-d",
                #"{"requestId": "\#(chat)", "content": "message \#(index)"}"#,
            ])
            statuses.append(send.status)
            lastHeaders = send.headers
            if send.status == 429 {
                #expect(String(decoding: send.body, as: UTF8.self) == #"{"error":"Rate limit exceeded: 2 per 1 minute"}"#)
            }
        }
        #expect(statuses == [201, 201, 429])
        #expect(lastHeaders["retry-after"] == nil)
    }
}

/// `chatfs-server` started on a free port; stopped by PID when released, failures included.
final class RunningServer {
    let process = Process()
    let url: String
    private let outputPath: String

    static var binaryPath: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".build/debug/chatfs-server").path
    }

    init(arguments: [String]) throws {
        guard FileManager.default.isExecutableFile(atPath: Self.binaryPath) else {
            throw TestFailure("\(Self.binaryPath) is missing: run `swift build --product chatfs-server` first")
        }
        outputPath = FileManager.default.temporaryDirectory.appendingPathComponent("chatfs-server-\(UUID().uuidString).out").path
        FileManager.default.createFile(atPath: outputPath, contents: nil)
        process.executableURL = URL(fileURLWithPath: Self.binaryPath)
        process.arguments = ["--port", "0"] + arguments
        process.standardOutput = FileHandle(forWritingAtPath: outputPath)
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(20)
        var line: String?
        while line == nil, Date() < deadline, process.isRunning {
            let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
            if let first = text.split(separator: "\n").first, text.contains("\n") { line = String(first) }
            else { Thread.sleep(forTimeInterval: 0.05) }
        }
        guard let line, line.hasPrefix("chatfs-server listening on ") else {
            process.terminate()
            process.waitUntilExit()
            throw TestFailure("chatfs-server did not report listening (got \(line ?? "nothing"))")
        }
        url = String(line.dropFirst("chatfs-server listening on ".count))
    }

    /// SIGTERM, then wait for a clean exit.
    func stop() throws {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            throw TestFailure("chatfs-server exited with \(process.terminationStatus) after SIGTERM")
        }
    }

    deinit {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(atPath: outputPath)
    }

    func login(_ username: String) throws -> String {
        let answer = try Curl.run(["\(url)/api/v1/auth/login", "-X", "POST", "-d", #"{"username": "\#(username)"}"#])
        let object = try JSONSerialization.jsonObject(with: answer.body) as? [String: Any]
        return try #require(object?["accessToken"] as? String)
    }

    func chatIDs(of username: String) throws -> [String] {
        let token = try login(username)
        let answer = try Curl.run(["\(url)/api/v1/chat/page-data", "-H", "Authorization: Bearer \(token)"])
        let object = try JSONSerialization.jsonObject(with: answer.body) as? [String: Any]
        let chats = try #require(object?["chatMessages"] as? [[String: Any]])
        return chats.compactMap { $0["id"] as? String }
    }
}

enum Curl {
    struct Answer {
        var exitCode: Int32
        var status: Int
        /// Lower-cased names.
        var headers: [String: String]
        var body: Data
    }

    /// Runs curl with `-s -i` and a 30 s ceiling; parses the status line, headers and body.
    static func run(_ arguments: [String]) throws -> Answer {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        process.arguments = ["-s", "-i", "--max-time", "30"] + arguments
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard let separator = data.firstRange(of: Data("\r\n\r\n".utf8)) else {
            return Answer(exitCode: process.terminationStatus, status: 0, headers: [:], body: data)
        }
        let head = String(decoding: data[..<separator.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
        let status = head.first.flatMap { Int($0.split(separator: " ").dropFirst().first ?? "") } ?? 0
        var headers: [String: String] = [:]
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return Answer(exitCode: process.terminationStatus, status: status, headers: headers, body: data[separator.upperBound...])
    }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
