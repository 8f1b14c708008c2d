import Checksum
import Foundation
import Testing

struct SHA256DigestTests {
    /// FIPS 180-4 / NIST examples, plus the empty input and a multi-block one.
    static let knownDigests: [(input: String, digest: String)] = [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        (
            "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        ),
        (String(repeating: "a", count: 1000), "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3"),
    ]

    @Test(arguments: knownDigests)
    func bytesHaveTheKnownDigest(input: String, digest: String) throws {
        #expect(try SHA256Digest.hex(of: Array(input.utf8)) == digest)
    }

    @Test(arguments: knownDigests)
    func filesHaveTheSameDigestAsTheirBytes(input: String, digest: String) throws {
        let path = try Self.temporaryFile(Array(input.utf8))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try SHA256Digest.hex(ofFileAt: path) == digest)
    }

    /// One million "a" (NIST's long message): several read chunks, the last one partial.
    @Test func aFileLargerThanOneReadChunkHasTheKnownDigest() throws {
        let path = try Self.temporaryFile([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try SHA256Digest.hex(ofFileAt: path) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func feedingInPiecesGivesTheDigestOfTheWhole() throws {
        var hasher = try SHA256Hasher()
        for piece in ["abcdbcdecdefdefg", "", "efghfghighijhijkijkljklmklmnlmnomnopnopq"] {
            try hasher.update(Array(piece.utf8))
        }
        #expect(try hasher.finalizeHex() == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    @Test func aMissingFileIsReportedWithItsPath() {
        let path = "/nonexistent/chatfs-\(UUID().uuidString)"
        #expect(throws: SHA256Digest.Failure.cannotRead(path: path, reason: "No such file or directory")) {
            try SHA256Digest.hex(ofFileAt: path)
        }
    }

    @Test func aDirectoryIsReportedAsUnreadable() throws {
        let path = NSTemporaryDirectory()
        let error = #expect(throws: SHA256Digest.Failure.self) { try SHA256Digest.hex(ofFileAt: path) }
        guard case .cannotRead(let reportedPath, _) = error else {
            Issue.record("expected cannotRead, got \(String(describing: error))")
            return
        }
        #expect(reportedPath == path)
    }

    private static func temporaryFile(_ bytes: [UInt8]) throws -> String {
        let path = NSTemporaryDirectory() + "chatfs-checksum-\(UUID().uuidString)"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }
}
