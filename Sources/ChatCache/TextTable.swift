/// Columns aligned for a person, fitted to a width: optional columns are left out (in
/// the order given) while the rest would not fit, then one column (a chat's name) gives
/// way, shortened with "…"; the others keep their full text. Widths are counted in
/// terminal columns (a CJK or fullwidth character takes two).
public struct TextTable {
    public var header: [String]
    public var rows: [[String]] = []
    /// The column that is shortened when rows are too wide.
    public var flexibleColumn = 0
    /// Columns that may be left out to make room, the first to go first.
    public var optionalColumns: [Int] = []

    static let gap = "  "
    /// The flexible column never gets narrower than this (unless its text is shorter).
    static let minimumFlexibleWidth = 16

    public init(header: [String]) {
        self.header = header
    }

    /// Lines without trailing spaces; nil `width` fits nothing (a pipe: keep every name whole).
    public func render(width: Int?) -> [String] {
        let all = [header] + rows
        var widths = header.indices.map { column in all.map { DisplayWidth.of($0[column]) }.max() ?? 0 }
        var shown = Array(header.indices)
        if let width {
            let flexibleMinimum = min(widths[flexibleColumn], Self.minimumFlexibleWidth)
            func others() -> Int { shown.filter { $0 != flexibleColumn }.map { widths[$0] }.reduce(0, +) + Self.gap.count * (shown.count - 1) }
            for column in optionalColumns where others() + flexibleMinimum > width {
                shown.removeAll { $0 == column }
            }
            widths[flexibleColumn] = min(widths[flexibleColumn], max(flexibleMinimum, width - others()))
        }
        return all.map { cells in
            shown.map { column in
                let cell = cells[column]
                let text = column == flexibleColumn ? DisplayWidth.shortened(cell, to: widths[column]) : cell
                return text + String(repeating: " ", count: max(0, widths[column] - DisplayWidth.of(text)))
            }.joined(separator: Self.gap).replacingTrailingSpaces()
        }
    }
}

/// How many terminal columns text takes (wcwidth(3) without the locale).
public enum DisplayWidth {
    public static func of(_ text: String) -> Int {
        text.unicodeScalars.reduce(0) { $0 + width(of: $1) }
    }

    /// `text` cut to `width` columns, ending in "…" when it was cut.
    public static func shortened(_ text: String, to width: Int) -> String {
        guard of(text) > width else { return text }
        var result = ""
        var used = 1  // the ellipsis
        for character in text {
            let characterWidth = of(String(character))
            guard used + characterWidth <= width else { break }
            result.append(character)
            used += characterWidth
        }
        return result + "…"
    }

    static func width(of scalar: Unicode.Scalar) -> Int {
        let properties = scalar.properties
        if properties.generalCategory == .nonspacingMark || properties.generalCategory == .enclosingMark
            || properties.generalCategory == .format || scalar.value == 0x200B {
            return 0
        }
        switch scalar.value {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
             0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6,
             0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x3FFFD:
            return 2
        default:
            return 1
        }
    }
}

extension String {
    func replacingTrailingSpaces() -> String {
        String(reversed().drop { $0 == " " }.reversed())
    }
}
