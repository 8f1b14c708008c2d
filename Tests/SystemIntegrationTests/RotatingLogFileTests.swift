import Foundation
import SystemIntegration
import Testing
import TestSupport

/// The detached daemon's log stays bounded: past its cap it becomes `.1` and starts over.
struct RotatingLogFileTests {
    func write(_ descriptor: Int32, bytes: Int) {
        let line = [UInt8](repeating: UInt8(ascii: "x"), count: bytes)
        _ = line.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, bytes) }
    }

    func size(_ path: String) -> Int {
        (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? -1
    }

    @Test func pastItsCapTheLogBecomesDotOneAndStartsOver() throws {
        let directory = try TemporaryDirectory("chatfs-log-test")
        let path = directory.path + "/chatfs.log"
        let descriptor = dup(STDERR_FILENO)
        defer { close(descriptor) }
        let log = try RotatingLogFile(path: path, maxBytes: 1000, descriptor: descriptor, checkEvery: .seconds(3600))
        write(descriptor, bytes: 600)
        try log.rotateIfNeeded()
        #expect(size(path) == 600 && !FileManager.default.fileExists(atPath: path + ".1"))
        write(descriptor, bytes: 600)
        try log.rotateIfNeeded()
        #expect(size(path + ".1") == 1200 && size(path) == 0)
        write(descriptor, bytes: 10)
        #expect(size(path) == 10, "writes go on into the new file")
    }

    @Test func aLogTooLargeAlreadyIsRotatedWhenOpened() throws {
        let directory = try TemporaryDirectory("chatfs-log-test")
        let path = directory.path + "/chatfs.log"
        try Data(repeating: 0x41, count: 2000).write(to: URL(fileURLWithPath: path))
        let descriptor = dup(STDERR_FILENO)
        defer { close(descriptor) }
        _ = try RotatingLogFile(path: path, maxBytes: 1000, descriptor: descriptor, checkEvery: .seconds(3600))
        #expect(size(path + ".1") == 2000 && size(path) == 0)
    }
}
