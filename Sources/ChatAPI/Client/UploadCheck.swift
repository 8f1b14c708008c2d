import Foundation

/// What is checked locally before an upload leaves, so a file that can never be sent
/// fails at once as `.permanent(status: 0, …)` instead of after a login and a transfer.
enum UploadCheck {
    static func file(at path: String, fileName: String, mimeType: String, maxBytes: Int) throws(APIError) -> MultipartFile {
        guard !fileName.isEmpty, !containsControlCharacters(fileName) else {
            throw .permanent(status: 0, detail: "the upload's file name is empty or contains control characters")
        }
        guard !mimeType.isEmpty, mimeType.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            throw .permanent(status: 0, detail: "the upload's type is not a printable ASCII MIME type")
        }
        var status = stat()
        guard stat(path, &status) == 0 else {
            throw .permanent(status: 0, detail: "cannot upload \(path): \(String(cString: strerror(errno)))")
        }
        guard status.st_mode & S_IFMT == S_IFREG else {
            throw .permanent(status: 0, detail: "cannot upload \(path): not a regular file")
        }
        guard status.st_size <= maxBytes else {
            throw .permanent(status: 0, detail: "cannot upload \(path): \(status.st_size) bytes, the limit is \(maxBytes)")
        }
        return MultipartFile(fieldName: "file", path: path, fileName: fileName, mimeType: mimeType)
    }

    /// C0 controls and DEL: a name is shown in listings and goes into a header line.
    private static func containsControlCharacters(_ text: String) -> Bool {
        text.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }
    }
}
