import CCurl

/// A local file sent as the one part of a `multipart/form-data` body. curl reads it
/// from disk while sending, so its size never has to fit in memory.
public struct MultipartFile: Sendable, Equatable {
    /// The form field (`file` for the upload endpoints).
    public var fieldName: String
    public var path: String
    /// The name the server is told (`filename=` of the part), not the local path's.
    public var fileName: String
    public var mimeType: String

    public init(fieldName: String, path: String, fileName: String, mimeType: String) {
        self.fieldName = fieldName
        self.path = path
        self.fileName = fileName
        self.mimeType = mimeType
    }

    /// Builds the curl MIME structure for `easy`; the caller frees it with
    /// `curl_mime_free` once the transfer is over. curl percent-escapes `"`, CR and LF
    /// in the field and file names; the type is copied verbatim into a header line, so
    /// line breaks in it are refused here.
    func makeCurlMime(for easy: UnsafeMutableRawPointer) throws(TransportError) -> OpaquePointer {
        guard !(fieldName + mimeType).utf8.contains(where: { $0 < 0x20 || $0 == 0x7F }) else {
            throw TransportError(kind: .notSent, curlCode: 0,
                                 message: "a multipart field name or type contains a control character")
        }
        guard let mime = curl_mime_init(easy) else {
            throw TransportError(kind: .notSent, curlCode: 0, message: "out of memory for the multipart body")
        }
        guard let part = curl_mime_addpart(mime) else {
            curl_mime_free(mime)
            throw TransportError(kind: .notSent, curlCode: 0, message: "out of memory for the multipart body")
        }
        // curl_mime_filedata checks the file can be read now; it reads it while sending.
        let fileResult = curl_mime_filedata(part, path)
        guard fileResult == CURLE_OK else {
            curl_mime_free(mime)
            throw TransportError(kind: .sourceReadFailed, curlCode: Int(fileResult.rawValue),
                                 message: "cannot read \(path)")
        }
        for (result, what) in [(curl_mime_name(part, fieldName), "name"), (curl_mime_filename(part, fileName), "file name"),
                               (curl_mime_type(part, mimeType), "type")] where result != CURLE_OK {
            curl_mime_free(mime)
            throw TransportError(kind: .notSent, curlCode: Int(result.rawValue),
                                 message: "libcurl refused the multipart \(what)")
        }
        return mime
    }
}
