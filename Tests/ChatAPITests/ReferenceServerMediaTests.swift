import ChatAPI
import Foundation
import Testing
import TestSupport

extension ReferenceServerTests {
    @Suite struct Media {
        let directory: String

        init() throws {
            directory = try makeTemporaryDirectory("chatapi-media")
        }

        /// The sha256 of a file as `sha256sum` computes it: a second opinion on the bytes.
        static func sha256(_ path: String) throws -> String {
            let result = try run(["sha256sum", path])
            try #require(result.succeeded, "sha256sum: \(result.stderr)")
            return String(result.stdout.prefix { !$0.isWhitespace })
        }

        @Test func aDownloadedScreenshotMatchesItsHash() throws {
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let server = try server(.delta)
            let client = try client(server)
            let chatID = try server.chatID(titled: "VPN / remote access")
            let shot = try #require(try client.screenshots(chatID: chatID).first)
            let info = try client.mediaInfo(.screenshot, id: shot.id)
            let hash = try #require(info.fileHash)

            let path = directory + "/shot.jpg"
            let size = try client.download(.screenshot, id: shot.id, to: path, maxBytes: 10_000_000)
            #expect(size == info.fileSize)
            #expect(try Self.sha256(path) == hash)
        }

        @Test func anUploadedFileIsListedAndDownloadsUnchanged() throws {
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let server = try server(.delta)
            let client = try client(server)
            let chatID = try makeChat(on: server, count: 2)
            let source = directory + "/report.txt"
            try #require(FileManager.default.createFile(atPath: source, contents: Data("tray 2 jams\n".utf8)))

            let stored = try client.upload(.chatFile, chatID: chatID, fileName: "printer log.txt", mimeType: "text/plain",
                                           contents: Data(contentsOf: URL(fileURLWithPath: source)))
            #expect(stored.kind == .chatFile)
            #expect(stored.fileName == "printer log.txt")
            #expect(stored.fileSize == 12)

            let listed = try client.chatFiles(chatID: chatID)
            #expect(listed.map(\.id) == [stored.id])
            #expect(listed.first?.originalFilename == "printer log.txt")
            let copy = directory + "/copy.txt"
            _ = try client.download(.chatFile, id: stored.id, to: copy, maxBytes: 1000)
            #expect(try Self.sha256(copy) == Self.sha256(source))
            #expect(try client.mediaInfo(.chatFile, id: stored.id).fileHash == Self.sha256(source))
        }

        @Test func anUploadedScreenshotIsRenamedAndListed() throws {
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let server = try server(.delta)
            let client = try client(server)
            // A real JPEG to upload: one of the demo screenshots.
            let demoChat = try server.chatID(titled: "VPN / remote access")
            let demoShot = try #require(try client.screenshots(chatID: demoChat).first)
            let source = directory + "/error.jpg"
            _ = try client.download(.screenshot, id: demoShot.id, to: source, maxBytes: 10_000_000)

            let chatID = try makeChat(on: server, count: 2)
            let stored = try client.upload(.screenshot, chatID: chatID, fileName: "error.jpg", mimeType: "image/jpeg",
                                           contents: Data(contentsOf: URL(fileURLWithPath: source)))
            let name = try #require(stored.fileName)
            #expect(name.wholeMatch(of: /[0-9a-f]{8}_error_[0-9a-f]{8}\.jpg/) != nil, "got \(name)")
            #expect(try client.screenshots(chatID: chatID).map(\.filename) == [name])

            let copy = directory + "/copy.jpg"
            _ = try client.download(.screenshot, id: stored.id, to: copy, maxBytes: 10_000_000)
            #expect(try client.mediaInfo(.screenshot, id: stored.id).fileHash == Self.sha256(copy))
        }
    }
}
