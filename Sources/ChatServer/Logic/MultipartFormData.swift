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
            guard Self.starts(with: Array("\r\n".utf8), in: body, at: cursor) else {
                throw .malformed("boundary not followed by a line break")
            }
            cursor += 2
            guard let headerEnd = Self.firstIndex(of: Array("\r\n\r\n".utf8), in: body, from: cursor) else {
                throw .malformed("part headers never end")
            }
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
        let fields = contentType.split(separator: ";").map { $0.trimmingWhitespace() }
        guard fields.first?.lowercased() == "multipart/form-data" else { return nil }
        for field in fields.dropFirst() {
            let pair = field.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].trimmingWhitespace().lowercased() == "boundary" else { continue }
            let value = pair[1].trimmingWhitespace().unquoted()
            return (1...70).contains(value.count) ? value : nil
        }
        return nil
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
                for parameter in value.split(separator: ";").dropFirst() {
                    let item = parameter.split(separator: "=", maxSplits: 1)
                    guard item.count == 2 else { continue }
                    switch item[0].trimmingWhitespace().lowercased() {
                    case "name": name = item[1].trimmingWhitespace().unquoted()
                    case "filename": filename = item[1].trimmingWhitespace().unquoted()
                    default: break
                    }
                }
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

    fileprivate func unquoted() -> String {
        let text = String(self)
        guard text.count >= 2, text.first == "\"", text.last == "\"" else { return text }
        return String(text.dropFirst().dropLast())
    }
}
