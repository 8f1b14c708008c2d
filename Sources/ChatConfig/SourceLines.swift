import Foundation

/// Finds the line of a table header or key in TOML text, for error messages and for
/// `chatfs config`: TOMLKit reports positions only for syntax errors. Covers the plain
/// forms (`[accounts.work]`, `key = value`); for anything fancier (dotted keys, inline
/// tables) it finds nothing and the message goes without a line.
struct SourceLines {
    private let lines: [String]

    init(_ text: String) {
        lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
    }

    /// The 1-based line of `[a.b]`.
    func line(ofTable path: [String]) -> Int? {
        lines.firstIndex { Self.header(of: $0) == path }.map { $0 + 1 }
    }

    /// The 1-based line of `key = ...` directly in table `path` (`[]` for the top level).
    func line(ofKey key: String, inTable path: [String]) -> Int? {
        var current: [String] = []
        for (index, line) in lines.enumerated() {
            if let header = Self.header(of: line) {
                current = header
            } else if current == path, let equals = line.firstIndex(of: "="), Self.unquote(line[..<equals]) == key {
                return index + 1
            }
        }
        return nil
    }

    /// `[a.b]` or `[a."b c"]` as its parts; nil for other lines (and `[[arrays]]`).
    static func header(of line: String) -> [String]? {
        guard line.hasPrefix("["), !line.hasPrefix("[["), let close = line.lastIndex(of: "]") else { return nil }
        return line[line.index(after: line.startIndex)..<close].split(separator: ".").map(unquote)
    }

    static func unquote(_ text: Substring) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.count >= 2, let first = trimmed.first, first == "\"" || first == "'", trimmed.last == first {
            return String(trimmed.dropFirst().dropLast())
        }
        return trimmed
    }
}
