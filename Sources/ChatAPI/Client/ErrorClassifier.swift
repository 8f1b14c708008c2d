import Foundation

/// Turns what came back from the wire into an `APIError`. Pure functions, so every rule
/// is testable without a server.
public enum ErrorClassifier {
    /// Error bodies are only ever shown; longer ones are cut.
    static let maxDetailCharacters = 300
    /// Larger error bodies are not parsed as JSON (only their start is shown).
    static let maxJSONErrorBytes = 64 * 1024
    /// A Retry-After beyond this is treated as this (an untrusted header must not park
    /// a sender for days).
    static let maxRetryAfterSeconds = 3_600.0

    /// The error for a response status, or nil for 2xx. A 401 is `.permanent` here; the
    /// client turns it into a login retry or `.retryable` where that applies.
    public static func error(for response: HTTPResponse) -> APIError? {
        let status = response.status
        switch status {
        case 200..<300:
            return nil
        case 429:
            return .rateLimited(retryAfter: retryAfter(response.header("retry-after")),
                                detail: detail(from: response.body, status: status))
        case 500..<600:
            return .retryable(status: status, detail: detail(from: response.body, status: status))
        case 300..<400:
            let location = response.header("location").map { " to \($0.prefix(maxDetailCharacters))" } ?? ""
            return .permanent(status: status, detail: "redirect\(location) not followed")
        default:
            return .permanent(status: status, detail: detail(from: response.body, status: status))
        }
    }

    public static func error(for failure: TransportError) -> APIError {
        if let problem = TLSProblem(failure) { return .certificate(problem) }
        return switch failure.kind {
        case .notSent: .offline(failure.description)
        case .noCompleteAnswer: .ambiguous(failure.description)
        case .noAnswer: .noAnswer(failure.description)
        case .bodyTooLarge: .malformed(failure.description)
        case .destinationWriteFailed, .sourceReadFailed: .permanent(status: 0, detail: failure.description)
        }
    }

    /// Seconds from a Retry-After header (the delay-seconds form; an HTTP date gives nil).
    public static func retryAfter(_ header: String?) -> Double? {
        guard let header, let seconds = Double(header.trimmingCharacters(in: .whitespaces)),
              seconds.isFinite, seconds >= 0
        else { return nil }
        return min(seconds, maxRetryAfterSeconds)
    }

    /// The human-readable reason in an error body: `{"detail": "..."}`, a 422 list of
    /// validation errors summarized, `{"error": "..."}` (the rate limiter), or else the
    /// body as plain text (500s are not JSON).
    public static func detail(from body: Data, status: Int) -> String {
        let text: String
        if body.count <= maxJSONErrorBytes,
           let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any],
           let reason = object["detail"].flatMap(describe) ?? object["error"].flatMap(describe) {
            text = reason
        } else {
            text = String(decoding: body.prefix(maxJSONErrorBytes), as: UTF8.self)
        }
        let scalars = text.trimmingCharacters(in: .whitespacesAndNewlines).unicodeScalars
        guard !scalars.isEmpty else { return "HTTP \(status)" }
        var printable = String.UnicodeScalarView()
        for scalar in scalars.prefix(maxDetailCharacters) {
            printable.append(scalar.properties.generalCategory == .control ? " " : scalar)
        }
        return String(printable) + (scalars.count > maxDetailCharacters ? "…" : "")
    }

    /// A `detail` value: a string, or FastAPI's validation list
    /// `[{"loc": ["query", "limit"], "msg": "..."}]` as `query.limit: ...; ...`.
    private static func describe(_ value: Any) -> String? {
        if let text = value as? String {
            return text
        }
        guard let items = value as? [Any] else { return nil }
        let parts = items.compactMap { item -> String? in
            guard let entry = item as? [String: Any] else { return nil }
            let location = (entry["loc"] as? [Any])?.map { "\($0)" }.joined(separator: ".")
            let message = entry["msg"] as? String ?? "invalid"
            return location.map { "\($0): \(message)" } ?? message
        }
        return parts.isEmpty ? nil : parts.joined(separator: "; ")
    }
}
