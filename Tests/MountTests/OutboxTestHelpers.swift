import Foundation
import Testing
import TestSupport

/// One chat's outbox on a live mount and the server behind it: what the outbox mount tests
/// (OutboxSendWindowTests, OutboxEditorTests, OutboxFaultTests, OutboxRefusedTests) share.
struct OutboxFixture {
    static let chatTitle = "VPN / remote access"
    static let chatDir = "VPN ／ remote access"

    let server: ReferenceServer
    let mount: ChatfsMount
    let chatID: String
    /// The chat's newest sequence when the test began: what came after is what the test sent.
    let baseline: Int

    var box: String { mount.path(Self.chatDir + "/outbox") }
    func path(_ name: String) -> String { box + "/" + name }

    func listing() throws -> [String] {
        try run(["ls", "-A", box]).stdout.split(separator: "\n").map(String.init)
    }

    /// The value of an extended attribute, "" when the file or the attribute is missing.
    func xattr(_ name: String, _ file: String) throws -> String {
        try run(["getfattr", "--only-values", "-n", name, path(file)]).stdout
    }

    func state(_ file: String) throws -> String { try xattr("user.chatfs.state", file) }

    /// `sh -c` in the outbox directory (relative names, as a user types them).
    @discardableResult
    func shell(_ script: String, timeout: Double = 60) throws -> CommandResult {
        try run(["bash", "-c", script], in: box, timeout: timeout)
    }

    /// Writes `text` and a newline to `name` as `echo` does.
    @discardableResult
    func write(_ name: String, _ text: String) throws -> CommandResult {
        try run(["bash", "-c", "printf '%s\\n' \"$1\" > \"$2\"", "-", text, path(name)])
    }

    /// `chatfs sync MOUNT`: ends every send window and waits until the queue is sent or failed.
    @discardableResult
    func sync(timeout: Double = 180) throws -> CommandResult {
        try run([Binaries.chatfs, "sync", mount.mountPoint], timeout: timeout)
    }

    /// The messages the server holds in the chat (newest 200).
    func serverMessages() throws -> [[String: Any]] {
        try server.messages(chatID: chatID)
    }

    /// The texts of the messages the server got since the test began, oldest first.
    func newTexts() throws -> [String] {
        try serverMessages()
            .filter { ($0["sequenceNumber"] as? Int ?? 0) > baseline }
            .sorted { ($0["sequenceNumber"] as? Int ?? 0) < ($1["sequenceNumber"] as? Int ?? 0) }
            .map { $0["content"] as? String ?? "" }
    }

    /// How many messages in the chat have exactly this text (the server's stored form).
    func count(_ text: String) throws -> Int {
        try serverMessages().filter { $0["content"] as? String == text }.count
    }

    /// The chat's attachments on the server: chat files by original name, screenshots by name.
    func serverAttachmentNames() throws -> [String] {
        let token = try server.login("alice")
        var names: [String] = []
        for (base, key) in [("chat-files", "originalFilename"), ("screenshots", "filename")] {
            let answer = try server.request("GET", "/api/v1/\(base)/request/\(chatID)", token: token)
            let list = try JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [[String: Any]] ?? []
            names += list.compactMap { $0[key] as? String }
        }
        return names
    }

    /// Sends `text` straight to the server's API as alice (not through the mount), in the
    /// background, and returns once the server stored it. Through a `delay` fault of
    /// `delaySeconds` (the faults present are cleared first), it is a barrier for requests a
    /// delay fault held before: their sleep began before this one's, so they have been handled
    /// once this message is there. Never a fixed sleep: it ends when the server has it.
    func postThroughDelay(_ text: String, delaySeconds: Double) throws {
        try server.clearFaults()
        if delaySeconds > 0 {
            try server.injectFault(["pathContains": "chat/messages", "method": "POST", "action": "delay",
                                    "delaySeconds": delaySeconds, "times": 1])
        }
        let token = try server.login("alice")
        let body = try JSONSerialization.data(withJSONObject: ["requestId": chatID, "content": text,
                                                               "clientTempId": UUID().uuidString])
        let curl = Process()
        curl.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        curl.arguments = ["curl", "-s", "-o", "/dev/null", "-m", String(Int(delaySeconds) + 60), "-X", "POST",
                          "-H", "Content-Type: application/json", "-H", "Authorization: Bearer \(token)",
                          "--data-binary", String(decoding: body, as: UTF8.self), server.url + "/api/v1/chat/messages"]
        curl.standardOutput = FileHandle.nullDevice
        curl.standardError = FileHandle.nullDevice
        try curl.run()
        defer {
            if curl.isRunning { kill(curl.processIdentifier, SIGKILL) }
            curl.waitUntilExit()
        }
        let stored = try eventually(timeout: delaySeconds + 60, interval: 0.2) { try count(text) == 1 }
        #expect(stored, "the barrier message \(text) never reached the server")
        try server.clearFaults()
    }
}

/// Starts a demo server (the legacy generation if `legacy`), lets `prepare` inject faults,
/// mounts alice's chats with `mountArguments` (e.g. `--send-delay 0`), visits the outbox's
/// chat, and runs `body`. Unmounts, stops the server and removes their folders on every path.
func withOutbox(legacy: Bool = false, mountArguments: [String] = [], _ body: (OutboxFixture) throws -> Void) throws {
    let server = try ReferenceServer.start(legacy: legacy)
    defer {
        server.stop()
        try? FileManager.default.removeItem(atPath: (server.databasePath as NSString).deletingLastPathComponent)
    }
    let mount = try ChatfsMount.start(server: server, extraArguments: mountArguments)
    defer { dispose(mount) }
    let chatID = try server.chatID(titled: OutboxFixture.chatTitle)
    let baseline = try server.messages(chatID: chatID).compactMap { $0["sequenceNumber"] as? Int }.max() ?? 0
    let fixture = OutboxFixture(server: server, mount: mount, chatID: chatID, baseline: baseline)
    // The first visit fetches the chat: the outbox exists once it is listed.
    #expect(try run(["ls", mount.path(OutboxFixture.chatDir)]).succeeded)
    try body(fixture)
}

/// Unmounts and removes the mount point (only once it is no longer mounted, and only if
/// empty) and the cache folder.
func dispose(_ mount: ChatfsMount) {
    mount.stop()
    guard !mount.isMounted else { return }
    rmdir(mount.mountPoint)
    try? FileManager.default.removeItem(atPath: mount.cacheDirectory)
}

/// A private temporary folder for files made outside the mount; removed by `body`'s end.
func withLocalFolder<T>(_ body: (String) throws -> T) throws -> T {
    let folder = try makeTemporaryDirectory("chatfs-outbox-local")
    defer { try? FileManager.default.removeItem(atPath: folder) }
    return try body(folder)
}

/// Whether a program is installed (PATH lookup), to skip tests of tools a machine lacks.
func installed(_ program: String) -> Bool {
    let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
    return paths.contains { FileManager.default.isExecutableFile(atPath: "\($0)/\(program)") }
}

/// `user.chatfs.next_attempt` (ISO 8601, with or without fractional seconds) as a date.
func parseISO8601(_ text: String) -> Date? {
    let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
    let plain = ISO8601DateFormatter()
    if let date = plain.date(from: trimmed) { return date }
    let fractional = ISO8601DateFormatter()
    fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    return fractional.date(from: trimmed)
}

/// A unique text, so a test's message is told apart from every other.
func uniqueText(_ label: String) -> String {
    "\(label) \(UUID().uuidString.prefix(8))"
}
