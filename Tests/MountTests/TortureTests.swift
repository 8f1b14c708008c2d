import Foundation
import Testing
import TestSupport

/// A short run of `scripts/torture-outbox`: chatfs is killed with SIGKILL while messages
/// flow, on both server generations, with the server delaying, dropping and refusing sends;
/// every message the user was told was queued must reach the server exactly once.
/// RELIABILITY.md records the long runs.
@Suite(.serialized, .enabled(if: MountSupport.available, "needs /dev/fuse, fusermount3 and built binaries"))
struct TortureTests {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    static let script = packageRoot + "/scripts/torture-outbox"
    /// Three rounds per generation take about a minute; a settle window of up to a minute per
    /// ambiguous send can stretch that. Past this the script is stopped (SIGTERM: it unmounts,
    /// stops its server and removes its folder) and the test fails.
    static let timeLimit: Double = 15 * 60

    @Test func threeKillNineRoundsOnBothGenerationsLoseAndDuplicateNothing() throws {
        let output = NSTemporaryDirectory() + "chatfs-torture-out-\(UUID().uuidString)"
        FileManager.default.createFile(atPath: output, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: output) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.script)
        process.arguments = ["--rounds", "3", "--both"]
        process.currentDirectoryURL = URL(fileURLWithPath: Self.packageRoot)
        process.environment = ProcessInfo.processInfo.environment.merging(["CHATFS_BIN_DIR": Binaries.directory]) { $1 }
        process.standardOutput = FileHandle(forWritingAtPath: output)
        process.standardError = FileHandle(forWritingAtPath: output)
        process.standardInput = FileHandle.nullDevice
        try process.run()

        let finished = eventually(timeout: Self.timeLimit, interval: 0.5) { !process.isRunning }
        if !finished {
            kill(process.processIdentifier, SIGTERM)
            if !eventually(timeout: 60, interval: 0.2, { !process.isRunning }) {
                kill(process.processIdentifier, SIGKILL)
            }
        }
        process.waitUntilExit()
        let report = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
        #expect(finished, "scripts/torture-outbox took longer than \(Int(Self.timeLimit)) s:\n\(report)")
        #expect(process.terminationReason == .exit && process.terminationStatus == 0,
                "scripts/torture-outbox --rounds 3 --both failed (status \(process.terminationStatus)):\n\(report)")
    }
}
