// Hand-written rather than vapor/multipart-kit 4.7.1, measured here (2 cores, debug):
// - its parser walks the body a byte at a time through NIO's generic ByteBuffer views:
//   a 50 MB binary upload took 67 s to parse in a debug build (what the tests and CI
//   run), against 0.01 s here with memchr/memcmp;
// - it needs the whole swift-collections umbrella: BitCollections, HashTreeCollections,
//   HeapModule and _RopeModule on top of what Hummingbird already builds, about 50 s of
//   CPU (54 s wall on the shared machine) added to every clean build;
// - it has no `filename` accessor (Content-Disposition would still be parsed here), and
//   its `name` splits at every `=` and `;`, even quoted (`name="a=b"` reads as `b`).
import Foundation

/// A `multipart/form-data` body split into its parts (RFC 7578), for the upload endpoints.
struct MultipartFormData: Sendable {
    struct Part: Sendable {
        var name: String
        var filename: String?
        var contentType: String?
        var body: ArraySlice<UInt8>
    }

    enum ParseError: Error, Equatable {
        case notMultipart
        case malformed(String)
    }

    var parts: [Part]

    /// Starlette's defaults (1,000 files plus 1,000 fields): a body of tiny parts cannot
    /// make the server build millions of them.
    static let maximumParts = 2000
    /// A part's header block; real ones are a few hundred bytes.
    static let maximumHeaderBytes = 16 * 1024

    func part(named name: String) -> Part? {
        parts.first { $0.name == name }
    }

    /// - Parameters:
    ///   - contentType: the request's `Content-Type` (carries the boundary).
    ///   - body: the whole request body (already bounded by the caller).
    init(contentType: String, body: [UInt8]) throws(ParseError) {
        guard let boundary = Self.boundary(from: contentType) else { throw .notMultipart }
        let dashBoundary = Array("--\(boundary)".utf8)
        let delimiter = Array("\r\n--\(boundary)".utf8)
        guard var cursor = Self.firstIndex(of: dashBoundary, in: body, from: 0) else {
            throw .malformed("missing opening boundary")
        }
        cursor += dashBoundary.count
        var parts: [Part] = []
        while true {
            if Self.starts(with: Array("--".utf8), in: body, at: cursor) { break }  // closing delimiter
            guard parts.count < Self.maximumParts else { throw .malformed("more than \(Self.maximumParts) parts") }
            guard Self.starts(with: Array("\r\n".utf8), in: body, at: cursor) else {
                throw .malformed("boundary not followed by a line break")
            }
            cursor += 2
            guard let headerEnd = Self.firstIndex(of: Array("\r\n\r\n".utf8), in: body, from: cursor) else {
                throw .malformed("part headers never end")
            }
            guard headerEnd - cursor <= Self.maximumHeaderBytes else { throw .malformed("part headers too long") }
            let headers = String(decoding: body[cursor..<headerEnd], as: UTF8.self)
            let contentStart = headerEnd + 4
            guard let contentEnd = Self.firstIndex(of: delimiter, in: body, from: contentStart) else {
                throw .malformed("part never ends")
            }
            parts.append(try Self.part(headers: headers, body: body[contentStart..<contentEnd]))
            cursor = contentEnd + delimiter.count
        }
        self.parts = parts
    }

    static func boundary(from contentType: String) -> String? {
        let (type, parameters) = headerValue(contentType)
        guard type.lowercased() == "multipart/form-data", let boundary = parameters["boundary"] else { return nil }
        return (1...70).contains(boundary.count) ? boundary : nil
    }

    /// `form-data; name="file"; filename="a;b.txt"` → ("form-data", ["name": "file",
    /// "filename": "a;b.txt"]): parameters split at semicolons outside quoted strings,
    /// names lower-cased, quoted values unescaped; the first occurrence of a name wins.
    private static func headerValue(_ value: some StringProtocol) -> (value: String, parameters: [String: String]) {
        let fields = splitOutsideQuotes(Substring(value), at: ";")
        var parameters: [String: String] = [:]
        for field in fields.dropFirst() {
            let pair = field.split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { continue }
            let name = pair[0].trimmingWhitespace().lowercased()
            if parameters[name] == nil { parameters[name] = pair[1].trimmingWhitespace().unquoted() }
        }
        return (fields.first?.trimmingWhitespace() ?? "", parameters)
    }

    private static func splitOutsideQuotes(_ text: Substring, at separator: Character) -> [Substring] {
        var pieces: [Substring] = []
        var pieceStart = text.startIndex
        var inQuotes = false
        var escaped = false
        for index in text.indices {
            let character = text[index]
            if escaped {
                escaped = false
            } else if inQuotes && character == "\\" {
                escaped = true
            } else if character == "\"" {
                inQuotes.toggle()
            } else if character == separator && !inQuotes {
                pieces.append(text[pieceStart..<index])
                pieceStart = text.index(after: index)
            }
        }
        pieces.append(text[pieceStart...])
        return pieces
    }

    private static func part(headers: String, body: ArraySlice<UInt8>) throws(ParseError) -> Part {
        var name: String?
        var filename: String?
        var contentType: String?
        for line in headers.split(separator: "\r\n") {
            let pair = line.split(separator: ":", maxSplits: 1)
            guard pair.count == 2 else { continue }
            let value = pair[1].trimmingWhitespace()
            switch pair[0].trimmingWhitespace().lowercased() {
            case "content-disposition":
                let parameters = headerValue(value).parameters
                name = parameters["name"]
                filename = parameters["filename"]
            case "content-type":
                contentType = value
            default:
                break
            }
        }
        guard let name else { throw .malformed("part without a name") }
        return Part(name: name, filename: filename, contentType: contentType, body: body)
    }

    private static func starts(with prefix: [UInt8], in bytes: [UInt8], at index: Int) -> Bool {
        index + prefix.count <= bytes.count && bytes[index..<index + prefix.count].elementsEqual(prefix)
    }

    /// Where `needle` first occurs at or after `start` (memchr/memcmp: a 50 MB upload is
    /// scanned for its closing boundary quickly even in debug builds).
    private static func firstIndex(of needle: [UInt8], in bytes: [UInt8], from start: Int) -> Int? {
        guard let first = needle.first, start >= 0, start + needle.count <= bytes.count else { return nil }
        return bytes.withUnsafeBytes { haystack in
            needle.withUnsafeBytes { needle in
                guard let base = haystack.baseAddress, let needleBase = needle.baseAddress else { return nil }
                var index = start
                let lastStart = haystack.count - needle.count
                while index <= lastStart {
                    guard let hit = memchr(base + index, Int32(first), lastStart - index + 1) else { return nil }
                    index = base.distance(to: UnsafeRawPointer(hit))
                    if memcmp(base + index, needleBase, needle.count) == 0 { return index }
                    index += 1
                }
                return nil
            }
        }
    }
}

extension StringProtocol {
    fileprivate func trimmingWhitespace() -> String {
        var text = Substring(self).drop(while: \.isWhitespace)
        while text.last?.isWhitespace == true { text = text.dropLast() }
        return String(text)
    }

    /// A quoted string's content with its backslash escapes resolved (RFC 9110 5.6.4);
    /// anything else unchanged.
    fileprivate func unquoted() -> String {
        guard count >= 2, first == "\"", last == "\"" else { return String(self) }
        var content = ""
        var escaped = false
        for character in dropFirst().dropLast() {
            if !escaped && character == "\\" {
                escaped = true
            } else {
                content.append(character)
                escaped = false
            }
        }
        return content
    }
}
