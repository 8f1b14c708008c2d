import Foundation
import Testing
import TestSupport

/// Defect 5 of issue 12: a message file reads the same in every cache, the one that sent
/// it included, on both server generations.
@Suite(.serialized) struct MessageBytesTests {
    @Test(arguments: [false, true])
    func aSentFileMessageReadsTheSameInTheSendersCacheAndInAFreshOne(legacy: Bool) throws {
        try withOutbox(legacy: legacy, mountArguments: ["--send-delay", "0"]) { box in
            try withLocalFolder { local in
                let pdf = local + "/small.pdf"
                _ = FileManager.default.createFile(atPath: pdf, contents: Data("%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n".utf8))
                #expect(try run(["cp", pdf, box.box]).succeeded)
                #expect(try box.sync().succeeded)
                #expect(try box.count("[File: small.pdf]") == 1)
                let chat = box.mount.path(OutboxFixture.chatDir)
                let found = try run(["grep", "-rlF", "--include=*.txt", "[File: small.pdf]", chat]).stdout
                let name = try #require(found.split(separator: "\n").first.map { ($0 as NSString).lastPathComponent })
                let sendersBytes = try #require(FileManager.default.contents(atPath: chat + "/" + name))

                let fresh = try ChatfsMount.start(server: box.server)
                defer { fresh.removeFiles() }
                let freshChat = fresh.path(OutboxFixture.chatDir)
                #expect(try run(["ls", freshChat]).succeeded)
                let freshBytes = try #require(FileManager.default.contents(atPath: freshChat + "/" + name))
                #expect(String(decoding: sendersBytes, as: UTF8.self) == String(decoding: freshBytes, as: UTF8.self))
                let sizes = try [chat, freshChat].map { try run(["stat", "-c", "%s", $0 + "/" + name]).stdout }
                #expect(sizes[0] == sizes[1])
            }
        }
    }
}
