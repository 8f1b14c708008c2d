/// ChatFileRead and ScreenshotRead (docs/api.md "Media"); the single-item forms add `fileHash`.
enum MediaJSON {
    static func render(_ media: MediaRecord, includeHash: Bool) -> JSONValue {
        var fields: [(String, JSONValue)] = [("id", .int(media.id))]
        switch media.kind {
        case .chatFile:
            fields += [
                ("originalFilename", .string(media.originalFilename)),
                ("storedFilename", .string(media.storedFilename)),
            ]
        case .screenshot:
            fields.append(("filename", .string(media.storedFilename)))
        }
        fields += [
            ("fileSize", .int(media.fileSize)),
            ("mimeType", .string(media.mimeType)),
            ("uploadStatus", .string(media.uploadStatus.rawValue)),
            ("isCorrupted", .bool(media.isCorrupted)),
            ("createdAt", .timestamp(media.createdAt)),
        ]
        if includeHash {
            fields.append(("fileHash", .string(media.uploadStatus == .pending ? nil : media.fileHash)))
        }
        return .object(fields)
    }
}
