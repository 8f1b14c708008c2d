import Foundation
import Locking

/// Reads a descriptor on a thread of its own until end of file, keeping every byte: the
/// stdout of a `tail -f` or `cat`, or an open `.chatfs/events`. Tests wait on its lines.
final class StreamCollector: Sendable {
    private let received = Locked<[UInt8]>([])
    private let ended = Locked(false)

    init(descriptor: Int32) {
        let thread = Thread { [self] in
            var buffer = [UInt8](repeating: 0, count: 65_536)
            while true {
                let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
                if count < 0, errno == EINTR { continue }
                guard count > 0 else { break }
                received.withLock { $0 += buffer[0..<count] }
            }
            ended.withLock { $0 = true }
        }
        thread.start()
    }

    var text: String { String(decoding: received.withLock { $0 }, as: UTF8.self) }
    var lines: [String] { text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init) }
    var hasEnded: Bool { ended.withLock { $0 } }
}

/// A tool started with its stdout collected (`tail -f FILE`, `cat FILE`).
struct CollectedProcess {
    let process: Process
    let output: StreamCollector
    /// Kept: its read end is the collector's descriptor.
    private let pipe = Pipe()

    init(_ arguments: [String]) throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        output = StreamCollector(descriptor: pipe.fileHandleForReading.fileDescriptor)
    }

    /// Stops it (this PID only) and waits.
    func stop() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }
}
