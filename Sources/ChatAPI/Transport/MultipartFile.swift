import CCurl
import Foundation

/// Bytes in memory sent as the one part of a `multipart/form-data` body (the outbox
/// uploads an attachment straight from its stored row: no staging file).
public struct MultipartFile: Sendable, Equatable {
    /// The form field (`file` for the upload endpoints).
    public var fieldName: String
    public var contents: Data
    /// The name the server is told (`filename=` of the part).
    public var fileName: String
    public var mimeType: String

    public init(fieldName: String, contents: Data, fileName: String, mimeType: String) {
        self.fieldName = fieldName
        self.contents = contents
        self.fileName = fileName
        self.mimeType = mimeType
    }

    /// Builds the curl MIME structure for `easy`; the caller frees it with
    /// `curl_mime_free` once the transfer is over. curl copies the contents (at most one
    /// attachment, 50 MB). curl percent-escapes `"`, CR and LF in the field and file names;
    /// the type is copied verbatim into a header line, so line breaks in it are refused here.
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
        let dataResult = contents.withUnsafeBytes { bytes -> CURLcode in
            guard let base = bytes.baseAddress else { return curl_mime_data(part, "", 0) }
            return curl_mime_data(part, base.assumingMemoryBound(to: CChar.self), bytes.count)
        }
        for (result, what) in [(dataResult, "data"), (curl_mime_name(part, fieldName), "name"),
                               (curl_mime_filename(part, fileName), "file name"),
                               (curl_mime_type(part, mimeType), "type")] where result != CURLE_OK {
            curl_mime_free(mime)
            throw TransportError(kind: .notSent, curlCode: Int(result.rawValue),
                                 message: "libcurl refused the multipart \(what)")
        }
        return mime
    }
}
