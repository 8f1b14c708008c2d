import Foundation

/// Times as people type them on the command line (`chatfs cache clear`).
public enum TimeSpec {
    public enum ParseError: Error, Equatable, CustomStringConvertible {
        case invalidAge(String)
        case invalidDate(String)

        public var description: String {
            switch self {
            case .invalidAge(let text): "\"\(text)\" is not an age (examples: 30d, 12h, 2w, 90m, 45s)"
            case .invalidDate(let text): "\"\(text)\" is not a date (examples: 2026-02-10, 2026-02-10T08:15:00Z)"
            }
        }
    }

    private static let units: [Character: TimeInterval] = ["s": 1, "m": 60, "h": 3600, "d": 86_400, "w": 7 * 86_400]

    /// `30d`, `12h`, `2w`, `90m`, `45s` (a bare number is days) as seconds.
    public static func age(_ text: String) throws(ParseError) -> TimeInterval {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        let unit = trimmed.last.flatMap { units[$0] }
        let digits = unit == nil ? trimmed : String(trimmed.dropLast())
        guard let value = Double(digits), value.isFinite, value >= 0, !digits.contains("e") else { throw .invalidAge(text) }
        return value * (unit ?? 86_400)
    }

    /// `2026-02-10` (midnight UTC) or an ISO 8601 time with a zone (`2026-02-10T08:15:00Z`,
    /// `2026-02-10T10:15:00+02:00`).
    public static func date(_ text: String) throws(ParseError) -> Date {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let day = try? Date(trimmed + "T00:00:00Z", strategy: .iso8601) { return day }
        if let time = try? Date(trimmed, strategy: .iso8601) { return time }
        throw .invalidDate(text)
    }
}
