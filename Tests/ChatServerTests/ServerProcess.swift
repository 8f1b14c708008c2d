import Foundation
import TestSupport
import Testing

/// Runs `body` with a demo `chatfs-server` process on its own database, and always stops
/// the server (this PID only) and deletes the database, failures included.
func withServerProcess(
    legacy: Bool = false, testControl: Bool = true, extraArguments: [String] = [],
    _ body: (ReferenceServer) throws -> Void
) throws {
    guard FileManager.default.isExecutableFile(atPath: Binaries.server) else {
        Issue.record("\(Binaries.server) is missing: run `swift build --product chatfs-server` first")
        return
    }
    let directory = try makeTemporaryDirectory("chatfs-server-test")
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let server = try ReferenceServer.start(
        legacy: legacy, databasePath: directory + "/server.sqlite", testControl: testControl,
        extraArguments: extraArguments)
    defer { server.stop() }
    try body(server)
}
