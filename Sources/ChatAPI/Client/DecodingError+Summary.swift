/// A one-line account of why a JSON answer did not decode, for `.malformed`.
extension DecodingError {
    var summary: String {
        switch self {
        case .keyNotFound(let key, let context):
            "missing \"\(key.stringValue)\" at \(Self.path(context.codingPath))"
        case .valueNotFound(_, let context):
            "null at \(Self.path(context.codingPath))"
        case .typeMismatch(let type, let context):
            "expected \(type) at \(Self.path(context.codingPath))"
        case .dataCorrupted(let context):
            "\(context.debugDescription) at \(Self.path(context.codingPath))"
        @unknown default:
            "\(self)"
        }
    }

    private static func path(_ codingPath: [any CodingKey]) -> String {
        codingPath.isEmpty ? "the top level"
            : codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
    }
}
