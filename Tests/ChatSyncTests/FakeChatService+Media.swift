import ChatAPI
import Checksum
import Foundation
import Locking
@testable import ChatSync

/// The fake server's attachments: listings, details with the sha256, and downloads that can
/// be corrupted, missing, pending for a while, or slow.
struct FakeMedia {
    struct Attachment {
        var kind: MediaKind
        var id: Int
        var name: String
        var bytes: [UInt8]
        var uploadStatus = "completed"
        var corrupted = false
        var createdAt = "2026-02-10T08:15:42Z"
        /// Downloads serve the bytes with one flipped (the hash no longer matches).
        var servesCorruptBytes = false
        /// Downloads answer 404.
        var missing = false
        /// This many downloads answer 202 before the bytes come.
        var pendingAnswers = 0
        /// Downloads serve only this many bytes (the listing and details still say all).
        var servedPrefix: Int?
    }

    var attachments: [Attachment] = []
    var downloads: [Int: Int] = [:]
    var infoRequests = 0
    var listRequests = 0
    /// Each download sleeps this long first (to make concurrent opens overlap).
    var downloadDelay = 0.0

    var totalDownloads: Int { downloads.values.reduce(0, +) }
}

extension FakeChatService {
    func addAttachment(_ attachment: FakeMedia.Attachment) {
        media.withLock { $0.attachments.append(attachment) }
    }

    func updateAttachment(id: Int, _ change: (inout FakeMedia.Attachment) -> Void) {
        media.withLock { media in
            if let index = media.attachments.firstIndex(where: { $0.id == id }) { change(&media.attachments[index]) }
        }
    }

    var mediaState: FakeMedia { media.withLock { $0 } }

    func chatFiles(chatID: String) throws -> [ChatFile] {
        try Self.decoder.decode([ChatFile].self, from: listing(.chatFile))
    }

    func screenshots(chatID: String) throws -> [Screenshot] {
        try Self.decoder.decode([Screenshot].self, from: listing(.screenshot))
    }

    func mediaInfo(_ kind: MediaKind, id: Int) throws -> MediaInfo {
        let attachment = try media.withLock { media in
            media.infoRequests += 1
            guard let attachment = media.attachments.first(where: { $0.kind == kind && $0.id == id }) else {
                throw APIError.permanent(status: 404, detail: "File not found")
            }
            return attachment
        }
        let json = Self.json(attachment, hash: attachment.uploadStatus == "completed" ? try SHA256Digest.hex(of: attachment.bytes) : nil)
        return switch kind {
        case .chatFile: MediaInfo(try Self.decoder.decode(ChatFile.self, from: Data(json.utf8)))
        case .screenshot: MediaInfo(try Self.decoder.decode(Screenshot.self, from: Data(json.utf8)))
        }
    }

    func download(_ kind: MediaKind, id: Int, to destination: String, maxBytes: Int) throws -> Int {
        let delay = media.withLock { $0.downloadDelay }
        if delay > 0 { Thread.sleep(forTimeInterval: delay) }
        let answer = try media.withLock { media -> [UInt8] in
            media.downloads[id, default: 0] += 1
            guard let index = media.attachments.firstIndex(where: { $0.kind == kind && $0.id == id }),
                  !media.attachments[index].missing else { throw APIError.permanent(status: 404, detail: "File not found") }
            let attachment = media.attachments[index]
            if attachment.corrupted { throw APIError.permanent(status: 410, detail: "File is corrupted") }
            if attachment.pendingAnswers > 0 {
                media.attachments[index].pendingAnswers -= 1
                throw APIError.retryable(status: 202, detail: "upload pending")
            }
            var bytes = Array(attachment.bytes.prefix(attachment.servedPrefix ?? attachment.bytes.count))
            if attachment.servesCorruptBytes, !bytes.isEmpty { bytes[bytes.count / 2] ^= 0xFF }
            return bytes
        }
        guard answer.count <= maxBytes else { throw APIError.malformed("body larger than \(maxBytes) bytes") }
        guard FileManager.default.createFile(atPath: destination, contents: Data(answer), attributes: [.posixPermissions: 0o600]) else {
            throw APIError.permanent(status: 0, detail: "cannot create \(destination)")
        }
        return answer.count
    }

    private func listing(_ kind: MediaKind) throws -> Data {
        let attachments = media.withLock { media in
            media.listRequests += 1
            return media.attachments.filter { $0.kind == kind }
        }
        return Data(("[" + attachments.map { Self.json($0, hash: nil) }.joined(separator: ",") + "]").utf8)
    }

    private static func json(_ attachment: FakeMedia.Attachment, hash: String?) -> String {
        let name = attachment.kind == .chatFile ? #""originalFilename":"\#(attachment.name)""# : #""filename":"\#(attachment.name)""#
        return """
            {"id":\(attachment.id),\(name),"fileSize":\(attachment.bytes.count),"mimeType":"application/octet-stream",\
            "uploadStatus":"\(attachment.uploadStatus)","isCorrupted":\(attachment.corrupted),"createdAt":"\(attachment.createdAt)",\
            "fileHash":\(hash.map { "\"\($0)\"" } ?? "null")}
            """
    }
}
