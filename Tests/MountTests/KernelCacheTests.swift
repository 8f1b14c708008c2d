import Foundation
import Testing
import TestSupport

/// What the kernel serves by itself (docs/design.md, "The request path"), counted with its
/// `fuse:fuse_request_send` tracepoint, as scripts/bench does. Needs a writable tracefs
/// (root, as in CI).
@Suite(.serialized, .enabled(if: MountSupport.available && FuseRequestTrace().isWritable,
                             "needs /dev/fuse, built binaries and a writable tracefs"))
struct KernelCacheTests {
    let tracing = FuseRequestTrace()

    /// A message file's first open hands the kernel its bytes (FUSE_NOTIFY_STORE): the `cat`
    /// costs an OPEN and a RELEASE, never a READ, and the `stat` after it no GETATTR (a READ
    /// would have marked the atime stale). Before: 1 READ per file, then 1 GETATTR per file.
    @Test func aFirstReadAfterTheMountIsServedByTheKernel() throws {
        try withDemoMount { _, mount in
            let chat = mount.path("Password reset")
            let files = try run(["ls", chat]).stdout.split(separator: "\n").filter { $0.hasSuffix(".txt") }.map { chat + "/" + $0 }
            #expect(files.count >= 3)
            let device = try #require(try FileManager.default.attributesOfItem(atPath: mount.mountPoint)[.systemNumber] as? Int)
            let first = try tracing.count(device: device) {
                let cat = try run(["cat"] + files)
                #expect(cat.succeeded, "\(cat.stderr)")
            }
            #expect(first["OPEN"] == files.count, "\(first)")
            #expect(first["READ"] == nil, "the kernel asked for bytes it was given: \(first)")
            let again = try tracing.count(device: device) {
                let stat = try run(["stat", "-c", "%s %X"] + files)
                let cat = try run(["cat"] + files)
                #expect(stat.succeeded && cat.succeeded, "\(stat.stderr)\(cat.stderr)")
            }
            #expect(again["READ"] == nil && again["GETATTR"] == nil, "\(again)")
        }
    }
}

/// The kernel's FUSE request tracepoint, switched on around one block.
struct FuseRequestTrace: Sendable {
    let root = "/sys/kernel/tracing"

    var isWritable: Bool { access(root + "/tracing_on", W_OK) == 0 }

    /// Requests sent to the connection `device` (the mount's st_dev) while `body` ran, by
    /// opcode without its `FUSE_` prefix.
    func count(device: Int, _ body: () throws -> Void) throws -> [String: Int] {
        try write("0", to: "tracing_on")
        try write("", to: "trace")
        try write("1", to: "events/fuse/fuse_request_send/enable")
        try write("1", to: "tracing_on")
        defer {
            try? write("0", to: "tracing_on")
            try? write("0", to: "events/fuse/fuse_request_send/enable")
        }
        try body()
        try write("0", to: "tracing_on")
        let trace = try String(contentsOfFile: root + "/trace", encoding: .utf8)
        var counts: [String: Int] = [:]
        for line in trace.split(separator: "\n") where line.contains("connection \(device) req") {
            guard let open = line.range(of: "(FUSE_"), let close = line[open.upperBound...].firstIndex(of: ")") else { continue }
            counts[String(line[open.upperBound..<close]), default: 0] += 1
        }
        return counts
    }

    private func write(_ value: String, to file: String) throws {
        try (value + "\n").write(toFile: root + "/" + file, atomically: false, encoding: .utf8)
    }
}
