import Foundation

public enum MediaKind: String, Sendable {
    case screenshot
    case chatFile
}

/// What a chat file and a screenshot have in common, for code that handles both.
public struct MediaInfo: Sendable, Equatable {
    public var kind: MediaKind
    public var id: Int
    /// The user-facing name: a chat file's original name, a screenshot's file name.
    public var fileName: String?
    public var fileSize: Int?
    public var mimeType: String?
    public var uploadStatus: String?
    public var isCorrupted: Bool?
    public var createdAt: Date?
    public var fileHash: String?

    public init(_ file: ChatFile) {
        kind = .chatFile
        id = file.id
        fileName = file.originalFilename
        fileSize = file.fileSize
        mimeType = file.mimeType
        uploadStatus = file.uploadStatus
        isCorrupted = file.isCorrupted
        createdAt = file.createdAt
        fileHash = file.fileHash
    }

    public init(_ screenshot: Screenshot) {
        kind = .screenshot
        id = screenshot.id
        fileName = screenshot.filename
        fileSize = screenshot.fileSize
        mimeType = screenshot.mimeType
        uploadStatus = screenshot.uploadStatus
        isCorrupted = screenshot.isCorrupted
        createdAt = screenshot.createdAt
        fileHash = screenshot.fileHash
    }
}
