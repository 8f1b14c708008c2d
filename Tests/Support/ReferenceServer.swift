import Foundation

/// A `chatfs-server` child process on a loopback port, with test control enabled and the
/// send rate limit off (tests that want 429 inject it).
public final class ReferenceServer: Sendable {
    public let url: String
    public let port: Int
    public let databasePath: String
    public let legacy: Bool
    private let testControl: Bool
    private let process: Process
    private let logPath: String
    private let stdoutPath: String
    /// `start` made the database's folder (no path was passed in), so `removeFiles` removes it.
    private let ownsDatabase: Bool

    /// - Parameter testControl: serve the `/_test` endpoints; off only to check that they are
    ///   off by default.
    public static func start(legacy: Bool = false, demo: Bool = true, databasePath: String? = nil,
                             port: Int = 0, testControl: Bool = true, extraArguments: [String] = []) throws -> ReferenceServer {
        let ownsDatabase = databasePath == nil
        let dbPath = try databasePath ?? (makeTemporaryDirectory("chatfs-server") + "/server.sqlite")
        let logs = try makeTemporaryDirectory("chatfs-server-log")
        let stdoutPath = logs + "/stdout"
        let logPath = logs + "/stderr"
        _ = FileManager.default.createFile(atPath: stdoutPath, contents: nil)
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Binaries.server)
        process.arguments = ["--host", "127.0.0.1", "--port", String(port), "--db", dbPath, "--send-rate-limit", "0"]
            + (testControl ? ["--test-control"] : []) + (demo ? ["--demo"] : []) + (legacy ? ["--legacy"] : [])
            + extraArguments
        process.standardOutput = FileHandle(forWritingAtPath: stdoutPath)
        process.standardError = FileHandle(forWritingAtPath: logPath)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        var url: String?
        _ = eventually(timeout: 60, interval: 0.05) {
            let text = (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? ""
            if let line = text.split(separator: "\n").first, line.hasPrefix("chatfs-server listening on ") {
                url = String(line.dropFirst("chatfs-server listening on ".count))
            }
            return url != nil || !process.isRunning
        }
        guard let url, let parsedPort = URL(string: url)?.port else {
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            let log = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
            throw TestSupportError.serverDidNotStart(log)
        }
        return ReferenceServer(url: url, port: parsedPort, databasePath: dbPath, ownsDatabase: ownsDatabase, legacy: legacy,
                               testControl: testControl, process: process, logPath: logPath, stdoutPath: stdoutPath)
    }

    private init(url: String, port: Int, databasePath: String, ownsDatabase: Bool, legacy: Bool, testControl: Bool,
                 process: Process, logPath: String, stdoutPath: String) {
        self.url = url
        self.port = port
        self.databasePath = databasePath
        self.ownsDatabase = ownsDatabase
        self.stdoutPath = stdoutPath
        self.legacy = legacy
        self.testControl = testControl
        self.process = process
        self.logPath = logPath
    }

    public var isRunning: Bool { process.isRunning }
    /// Whether the server has exited with status 0 (after `stop()`: shut down gracefully on
    /// SIGTERM rather than crashing or needing SIGKILL).
    public var exitedCleanly: Bool {
        !process.isRunning && process.terminationReason == .exit && process.terminationStatus == 0
    }
    public var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// SIGTERM, then SIGKILL if it has not exited within 5 s. Only this process is touched.
    public func stop() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGTERM)
        if !eventually(timeout: 5, interval: 0.05, { !process.isRunning }) {
            kill(process.processIdentifier, SIGKILL)
        }
        process.waitUntilExit()
    }

    /// Stops the server, then removes its output files and, when `start` made it, the folder
    /// of its database (kept with `CHATFS_KEEP_TEST_FILES=1`). A server `restarted()` from
    /// this one shares that folder: stop that one first.
    public func removeFiles() {
        stop()
        if keepTestFiles {
            FileHandle.standardError.write(Data("kept: server log \(logPath), database \(databasePath)\n".utf8))
            return
        }
        try? FileManager.default.removeItem(atPath: logPath)
        try? FileManager.default.removeItem(atPath: stdoutPath)
        if ownsDatabase {
            try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: databasePath).deletingLastPathComponent().path)
        }
    }

    /// The same data on the same port (a server coming back after an outage).
    public func restarted(extraArguments: [String] = []) throws -> ReferenceServer {
        stop()
        return try Self.start(legacy: legacy, demo: false, databasePath: databasePath, port: port, testControl: testControl,
                              extraArguments: extraArguments)
    }

    /// An HTTP request with curl; returns status and body.
    @discardableResult
    public func request(_ method: String, _ path: String, json: String? = nil, token: String? = nil) throws -> (status: Int, body: String) {
        let reply = try answer(method, path, json: json, token: token)
        return (reply.status, reply.body)
    }

    /// An HTTP request with curl; returns status, headers and body.
    public func answer(_ method: String, _ path: String, json: String? = nil, token: String? = nil,
                       headers extraHeaders: [String] = []) throws -> ServerAnswer {
        let headerDump = TempFile()
        var arguments = ["curl", "-s", "-D", headerDump.path, "-o", "-", "-w", "\n%{http_code}", "-X", method, url + path]
        if let json { arguments += ["-H", "Content-Type: application/json", "--data-binary", json] }
        if let token { arguments += ["-H", "Authorization: Bearer \(token)"] }
        for header in extraHeaders { arguments += ["-H", header] }
        let result = try run(arguments, timeout: 30)
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        // curl dumps every response it got (a `100 Continue` first, say): the last is the answer.
        let head = headerDump.contents().components(separatedBy: "\r\n\r\n").last { !$0.isEmpty } ?? ""
        var headers: [String: String] = [:]
        for line in head.components(separatedBy: "\r\n").dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return ServerAnswer(status: Int(lines.last ?? "") ?? 0, headers: headers, body: lines.dropLast().joined(separator: "\n"))
    }

    /// Posts a message as `sender` through the test-control endpoint.
    @discardableResult
    public func post(chatID: String, sender: String, content: String) throws -> Int {
        let body = try JSONSerialization.data(withJSONObject: ["sender": sender, "content": content])
        return try request("POST", "/_test/chats/\(chatID)/messages", json: String(decoding: body, as: UTF8.self)).status
    }

    /// Creates a chat for `requester`; returns its id.
    public func createChat(title: String, requester: String = "alice") throws -> String {
        let body = try JSONSerialization.data(withJSONObject: ["title": title, "requester": requester])
        let answer = try request("POST", "/_test/chats", json: String(decoding: body, as: UTF8.self))
        guard answer.status == 201, let object = try JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [String: Any],
              let id = object["id"] as? String else { throw TestSupportError.unexpectedAnswer(answer.status, answer.body) }
        return id
    }

    /// Adds a fault rule (see chatfs-server's /_test/faults).
    public func injectFault(_ rule: [String: Any]) throws {
        let body = try JSONSerialization.data(withJSONObject: rule)
        let answer = try request("POST", "/_test/faults", json: String(decoding: body, as: UTF8.self))
        guard answer.status == 201 else { throw TestSupportError.unexpectedAnswer(answer.status, answer.body) }
    }

    /// The `/api/v1` requests served so far per `METHOD /route/{template}`, and how many of
    /// them were answered 304 Not Modified (`GET /_test/requests`).
    public func requestCounts() throws -> (received: [String: Int], notModified: [String: Int]) {
        let answer = try request("GET", "/_test/requests")
        guard let object = try JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [String: Any],
              let received = object["counts"] as? [String: Int] else {
            throw TestSupportError.unexpectedAnswer(answer.status, answer.body)
        }
        return (received, object["notModified"] as? [String: Int] ?? [:])
    }

    public func clearFaults() throws {
        try request("DELETE", "/_test/faults")
    }

    /// A bearer token for `user`.
    public func login(_ user: String) throws -> String {
        let answer = try request("POST", "/api/v1/auth/login", json: #"{"username":"\#(user)"}"#)
        guard let object = try JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [String: Any],
              let token = object["accessToken"] as? String else { throw TestSupportError.unexpectedAnswer(answer.status, answer.body) }
        return token
    }

    /// The chat list alice (or `user`) sees: id and title, newest first.
    public func chats(of user: String = "alice") throws -> [(id: String, title: String, lastSequence: Int)] {
        let answer = try request("GET", "/api/v1/chat/page-data", token: login(user))
        guard let object = try JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [String: Any],
              let list = object["chatMessages"] as? [[String: Any]] else { throw TestSupportError.unexpectedAnswer(answer.status, answer.body) }
        return list.map { ($0["id"] as? String ?? "", $0["title"] as? String ?? "", $0["lastMessageSequence"] as? Int ?? 0) }
    }
}

/// What `ReferenceServer.answer` got back.
public struct ServerAnswer: Sendable {
    /// 0 when no HTTP answer came (connection refused or dropped).
    public var status: Int
    /// Names lower-cased; the last value of a repeated header.
    public var headers: [String: String]
    public var body: String
}

public enum TestSupportError: Error, CustomStringConvertible {
    case serverDidNotStart(String)
    case mountDidNotStart(String)
    case unexpectedAnswer(Int, String)

    public var description: String {
        switch self {
        case .serverDidNotStart(let log): "chatfs-server did not start:\n\(log)"
        case .mountDidNotStart(let log): "chatfs did not mount:\n\(log)"
        case .unexpectedAnswer(let status, let body): "unexpected answer \(status): \(body)"
        }
    }
}

extension ReferenceServer {
    /// Up to the newest 200 messages of a chat as the server returns them (raw JSON objects).
    public func messages(chatID: String, user: String = "alice") throws -> [[String: Any]] {
        let answer = try request("GET", "/api/v1/chat/messages/request/\(chatID)?limit=200", token: login(user))
        guard let list = try JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [[String: Any]] else {
            throw TestSupportError.unexpectedAnswer(answer.status, answer.body)
        }
        return list
    }

    public func chatID(titled title: String, user: String = "alice") throws -> String {
        guard let chat = try chats(of: user).first(where: { $0.title == title }) else {
            throw TestSupportError.unexpectedAnswer(0, "no chat titled \(title)")
        }
        return chat.id
    }
}

/// Runs `body` with a demo server and alice's mount, and always unmounts and stops both.
public func withDemoMount<T>(legacy: Bool = false, poll: Double = 1, _ body: (ReferenceServer, ChatfsMount) throws -> T) throws -> T {
    let server = try ReferenceServer.start(legacy: legacy)
    defer { server.stop() }
    let mount = try ChatfsMount.start(server: server, poll: poll)
    defer { mount.stop() }
    return try body(server, mount)
}
