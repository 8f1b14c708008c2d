import Foundation
import Testing
@testable import ChatAPI

@Suite struct FileTokenStoreTests {
    let directory: String

    init() throws {
        directory = NSTemporaryDirectory() + "chatapi-token-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
    }

    func mode(of path: String) throws -> Int {
        try (FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    @Test func savesTheTokenWithMode0600AndLoadsItBack() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = FileTokenStore(path: directory + "/token")
        #expect(store.load() == nil)
        try store.save("eyJ.first")
        #expect(try mode(of: directory + "/token") == 0o600)
        #expect(store.load() == "eyJ.first")
    }

    @Test func replacesTheWholeFileAndLeavesNoTemporaryFiles() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = FileTokenStore(path: directory + "/token")
        try "an old, much longer token that must not survive in part".write(
            toFile: directory + "/token", atomically: false, encoding: .utf8)
        try store.save("eyJ.second")
        #expect(store.load() == "eyJ.second")
        #expect(try mode(of: directory + "/token") == 0o600)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["token"])
    }

    @Test func savingIntoAMissingDirectoryThrows() {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = FileTokenStore(path: directory + "/missing/token")
        #expect(throws: TokenStoreError.self) { try store.save("eyJ.x") }
    }

    @Test func ignoresEmptyAndOversizedFiles() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = FileTokenStore(path: directory + "/token")
        try "\n".write(toFile: directory + "/token", atomically: false, encoding: .utf8)
        #expect(store.load() == nil)
        try String(repeating: "x", count: 100_000).write(toFile: directory + "/token", atomically: false, encoding: .utf8)
        #expect(store.load() == nil)
    }
}
