import Foundation

/// What is checked locally before an upload leaves, so a file that can never be sent
/// fails at once as `.permanent(status: 0, …)` instead of after a login and a transfer.
enum UploadCheck {
    static func file(_ contents: Data, fileName: String, mimeType: String, maxBytes: Int) throws(APIError) -> MultipartFile {
        guard !fileName.isEmpty, !containsControlCharacters(fileName) else {
            throw .permanent(status: 0, detail: "the upload's file name is empty or contains control characters")
        }
        guard !mimeType.isEmpty, mimeType.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            throw .permanent(status: 0, detail: "the upload's type is not a printable ASCII MIME type")
        }
        guard contents.count <= maxBytes else {
            throw .permanent(status: 0, detail: "cannot upload \(fileName): \(contents.count) bytes, the limit is \(maxBytes)")
        }
        return MultipartFile(fieldName: "file", contents: contents, fileName: fileName, mimeType: mimeType)
    }

    /// C0 controls and DEL: a name is shown in listings and goes into a header line.
    private static func containsControlCharacters(_ text: String) -> Bool {
        text.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }
    }
}
