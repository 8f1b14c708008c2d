import ArgumentParser
import ChatServer
import Foundation
import Logging

/// `chatfs-server`: the reference implementation of the Support Center chat API.
@main
struct ChatfsServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chatfs-server",
        abstract: "Reference Support Center chat server (the API chatfs speaks), on SQLite.")

    @Option(help: "SQLite file to persist everything in (default: in memory).")
    var db: String?

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on (0 picks a free one).")
    var port = 8080

    @Flag(help: "Seed demo users, chats and media when the database is empty.")
    var demo = false

    @Flag(help: "Behave like the deployed backend (no delta/range modes, no send deduplication).")
    var legacy = false

    @Flag(help: "Serve the /_test control endpoints (fault injection, token revocation, counters).")
    var testControl = false

    @Option(help: "Sends per minute per source IP (0 disables).")
    var sendRateLimit = 30

    @Flag(help: "Keep uploads pending, like the deployed backend without its upload worker.")
    var pendingUploads = false

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
        guard sendRateLimit >= 0 else { throw ValidationError("--send-rate-limit must not be negative") }
    }

    func run() async throws {
        // A shell starts background jobs with SIGINT ignored, and an ignored signal never
        // reaches the graceful-shutdown handler: restore the default so `kill -INT` stops us.
        _ = signal(SIGINT, SIG_DFL)
        _ = signal(SIGTERM, SIG_DFL)
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = ProcessInfo.processInfo.environment["LOG_LEVEL"].flatMap { Logger.Level(rawValue: $0) } ?? .info
            return handler
        }
        let options = ServerOptions(
            databasePath: db, host: host, port: port, seedDemoData: demo, generation: legacy ? .legacy : .delta,
            enableTestControl: testControl, sendRateLimit: sendRateLimit,
            uploadsStayPending: pendingUploads)
        try await ChatServerApp.run(options: options, logger: Logger(label: "chatfs-server")) { url in
            // Tests and scripts read this first stdout line; FileHandle writes are unbuffered.
            FileHandle.standardOutput.write(Data("chatfs-server listening on \(url)\n".utf8))
        }
    }
}
