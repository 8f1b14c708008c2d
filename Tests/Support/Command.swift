import Foundation

/// The result of a process a test ran.
public struct CommandResult: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
    public var succeeded: Bool { status == 0 }
}

/// Runs a program (looked up in PATH) and collects its output. A program that hangs (a
/// wedged mount) is killed after `timeout` seconds and reported as status 124, like
/// timeout(1), so a broken filesystem fails a test instead of hanging the run.
@discardableResult
public func run(_ arguments: [String], in directory: String? = nil, input: String? = nil,
                environment: [String: String] = [:], timeout: Double = 60) throws -> CommandResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    let stdout = TempFile(), stderr = TempFile()
    process.standardOutput = stdout.handle
    process.standardError = stderr.handle
    let stdin = Pipe()
    process.standardInput = input == nil ? FileHandle.nullDevice : stdin
    try process.run()
    if let input {
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
    }
    let deadline = Date().addingTimeInterval(timeout * deadlineScale)
    while process.isRunning && Date() < deadline { usleep(2_000) }
    let status: Int32
    if process.isRunning {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        status = 124
    } else {
        process.waitUntilExit()
        status = process.terminationStatus
    }
    return CommandResult(status: status, stdout: stdout.contents(), stderr: stderr.contents())
}

/// Output goes to files, not pipes: a pipe fills at 64 KiB and would block `ls` of 10,000 files.
final class TempFile {
    let path: String
    let handle: FileHandle

    init() {
        path = NSTemporaryDirectory() + "chatfs-test-\(UUID().uuidString)"
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        handle = FileHandle(forWritingAtPath: path)!
    }

    func contents() -> String {
        try? handle.close()
        defer { try? FileManager.default.removeItem(atPath: path) }
        return (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    }
}

/// Polls `condition` until it holds or `timeout` passes: tests wait for conditions, never
/// for fixed times (2 cores make timings vary).
public func eventually(timeout: Double = 20, interval: Double = 0.1, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(timeout * deadlineScale)
    repeat {
        if try condition() { return true }
        usleep(UInt32(interval * 1_000_000))
    } while Date() < deadline
    return try condition()
}

/// `CHATFS_TEST_DEADLINE_SCALE=N` stretches every deadline a test waits on (`eventually`,
/// `run`'s kill timer, and through them a server's and a mount's start) N times. A
/// sanitized build runs several times slower (`scripts/sanitize` sets it); a deadline is
/// how long a test is willing to wait for a condition, not a speed it checks.
public let deadlineScale: Double = {
    guard let text = ProcessInfo.processInfo.environment["CHATFS_TEST_DEADLINE_SCALE"] else { return 1 }
    guard let scale = Double(text), scale >= 1 else {
        fatalError("CHATFS_TEST_DEADLINE_SCALE must be a number >= 1, not \(text)")
    }
    return scale
}()

/// `CHATFS_KEEP_TEST_FILES=1`: `removeFiles()` of mounts and servers keeps logs, caches and
/// databases, to look at after a failed run.
var keepTestFiles: Bool { ProcessInfo.processInfo.environment["CHATFS_KEEP_TEST_FILES"] == "1" }
