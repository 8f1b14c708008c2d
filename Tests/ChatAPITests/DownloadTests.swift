import Foundation
import Logging
import Testing
@testable import ChatAPI

/// Streaming downloads against a scripted loopback peer.
@Suite struct DownloadTests {
    let directory: String
    let payload = Data((0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })

    init() throws {
        directory = NSTemporaryDirectory() + "chatapi-download-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
    }

    func withPeer(_ body: (ChatClient, ScriptedHTTPPeer) throws -> Void) throws {
        let payload = payload
        let peer = try ScriptedHTTPPeer { request in
            switch request.target {
            case "/api/v1/screenshots/1/download":
                .answer(status: 200, headers: ["Content-Type": "image/jpeg"], body: payload)
            case "/api/v1/chat-files/2/download": .json(202, #"{"detail": "Upload in progress"}"#)
            case "/api/v1/chat-files/3/download": .json(410, #"{"detail": "File is corrupted"}"#)
            default: .json(404, #"{"detail": "File not found"}"#)
            }
        }
        defer {
            peer.stop()
            try? FileManager.default.removeItem(atPath: directory)
        }
        let client = try ChatClient(server: URL(string: peer.url)!, credentials: .token("t"), tokenStore: nil,
                                    logger: Logger(label: "test"))
        try body(client, peer)
    }

    @Test func streamsTheBodyIntoAPrivateFile() throws {
        try withPeer { client, peer in
            let path = directory + "/shot.jpg"
            #expect(try client.download(.screenshot, id: 1, to: path, maxBytes: 1_000_000) == payload.count)
            #expect(FileManager.default.contents(atPath: path) == payload)
            let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber
            #expect(mode?.intValue == 0o600)
            #expect(peer.requests.first?.headers["authorization"] == "Bearer t")
        }
    }

    @Test func pendingUploadsAreRetryableAndLeaveNoFile() throws {
        try withPeer { client, _ in
            let path = directory + "/pending"
            #expect(throws: APIError.retryable(status: 202, detail: "upload pending")) {
                try client.download(.chatFile, id: 2, to: path, maxBytes: 1_000_000)
            }
            #expect(!FileManager.default.fileExists(atPath: path))
        }
    }

    @Test func missingAndCorruptedFilesArePermanent() throws {
        try withPeer { client, _ in
            #expect(throws: APIError.permanent(status: 410, detail: "File is corrupted")) {
                try client.download(.chatFile, id: 3, to: directory + "/corrupt", maxBytes: 1_000_000)
            }
            #expect(throws: APIError.permanent(status: 404, detail: "File not found")) {
                try client.download(.chatFile, id: 4, to: directory + "/missing", maxBytes: 1_000_000)
            }
            let leftOver = try FileManager.default.contentsOfDirectory(atPath: directory)
            #expect(leftOver.isEmpty)
        }
    }

    @Test func aBodyOverTheLimitFailsAndLeavesNoFile() throws {
        try withPeer { client, _ in
            let path = directory + "/big"
            #expect {
                try client.download(.screenshot, id: 1, to: path, maxBytes: 1000)
            } throws: { error in
                guard case .malformed = error as? APIError else { return false }
                return true
            }
            #expect(!FileManager.default.fileExists(atPath: path))
        }
    }

    @Test func anUnwritableDestinationIsPermanentBeforeAnyRequest() throws {
        try withPeer { client, peer in
            #expect {
                try client.download(.screenshot, id: 1, to: directory + "/no/such/dir/file", maxBytes: 1000)
            } throws: { error in
                guard case .permanent(status: 0, _) = error as? APIError else { return false }
                return true
            }
            #expect(peer.requests.isEmpty)
        }
    }
}
