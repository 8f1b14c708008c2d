import Foundation
import Hummingbird
import NIOCore

extension ServerRequestContext {
    /// A UUID path parameter as ids are stored (lowercase, hyphenated); 422 when malformed.
    func uuidParameter(_ name: String) throws(APIError) -> String {
        let text = parameters.get(name) ?? ""
        guard let id = UUIDText.normalized(text) else {
            throw .validation([.uuidParsing(location: ["path", name], input: text)])
        }
        return id
    }

    /// An integer path parameter (media ids); 422 when malformed.
    func integerParameter(_ name: String) throws(APIError) -> Int64 {
        let text = parameters.get(name) ?? ""
        guard let value = MessageListingQuery.parsePythonInteger(text) else {
            throw .validation([.integerParsing(location: ["path", name], input: text)])
        }
        return value
    }
}

enum UUIDText {
    /// Accepts the hyphenated form (any case) and 32 bare hex digits, like pydantic.
    static func normalized(_ text: String) -> String? {
        if let uuid = UUID(uuidString: text) { return uuid.uuidString.lowercased() }
        guard text.count == 32, text.allSatisfy(\.isHexDigit) else { return nil }
        let hex = Array(text.lowercased())
        let groups = [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { String(hex[$0]) }
        return groups.joined(separator: "-")
    }
}

enum BodyReader {
    /// Largest JSON body accepted (a 10,000-character message is at most 40 KB of UTF-8).
    static let maximumJSONBytes = 1 << 20

    /// Collects the body up to `limit` bytes; 413 beyond.
    static func bytes(
        of request: Request, limit: Int, tooLargeDetail: String = "Request body too large"
    ) async throws -> ByteBuffer {
        do {
            return try await request.body.collect(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw APIError.detail(.contentTooLarge, tooLargeDetail)
        }
    }

    /// Decodes a JSON body; malformed JSON or wrongly typed fields answer 422.
    static func json<Body: Decodable>(_ type: Body.Type, from request: Request) async throws -> Body {
        let buffer = try await bytes(of: request, limit: maximumJSONBytes)
        do {
            return try JSONDecoder().decode(Body.self, from: Data(buffer.readableBytesView))
        } catch let error as DecodingError {
            throw APIError.validation([issue(for: error)])
        }
    }

    private static func issue(for error: DecodingError) -> ValidationIssue {
        func location(_ path: [any CodingKey]) -> [String] {
            ["body"] + path.map { $0.intValue.map(String.init) ?? $0.stringValue }
        }
        switch error {
        case .keyNotFound(let key, let context):
            return .missing(location: location(context.codingPath + [key]))
        case .valueNotFound(_, let context):
            return .missing(location: location(context.codingPath))
        case .typeMismatch(let type, let context):
            return ValidationIssue(
                type: "type_error", loc: location(context.codingPath), msg: "Input should be a valid \(type)",
                input: nil)
        case .dataCorrupted(let context) where !context.codingPath.isEmpty:
            return ValidationIssue(
                type: "value_error", loc: location(context.codingPath), msg: context.debugDescription, input: nil)
        default:
            return .invalidBody("JSON decode error")
        }
    }
}

enum MediaTypeText {
    /// `type/subtype` (parameters dropped) when it is a well-formed media type, else nil:
    /// an uploaded Content-Type is echoed in download headers, so nothing odd may pass.
    static func normalized(_ text: String?) -> String? {
        guard let essence = text?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased()
        else { return nil }
        let parts = essence.split(separator: "/", omittingEmptySubsequences: false)
        let tokenCharacters = Set("abcdefghijklmnopqrstuvwxyz0123456789!#$&^_.+-")
        guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty && $0.count <= 64 && $0.allSatisfy(tokenCharacters.contains) })
        else { return nil }
        return essence
    }
}
