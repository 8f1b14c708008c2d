import Foundation

/// Sizes as people type them on the command line, with GNU coreutils' conventions (the
/// ones `truncate -s` and `du -B` use): `K`, `M`, `G`, `T` and `KiB`... are powers of
/// 1024, `KB`, `MB`, `GB`, `TB` powers of 1000, a bare number is bytes. Case does not
/// matter; a fraction is allowed (`1.5G`).
public enum ByteSize {
    public enum ParseError: Error, Equatable, CustomStringConvertible {
        case invalid(String)

        public var description: String {
            switch self {
            case .invalid(let text): "\"\(text)\" is not a size (examples: 500000, 100M, 2G, 1.5GB)"
            }
        }
    }

    private static let multipliers: [String: Double] = [
        "": 1, "b": 1,
        "k": 0x1p10, "kib": 0x1p10, "kb": 1e3,
        "m": 0x1p20, "mib": 0x1p20, "mb": 1e6,
        "g": 0x1p30, "gib": 0x1p30, "gb": 1e9,
        "t": 0x1p40, "tib": 0x1p40, "tb": 1e12,
    ]

    public static func parse(_ text: String) throws(ParseError) -> Int64 {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let number = trimmed.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
        let unit = trimmed.dropFirst(number.count).trimmingCharacters(in: .whitespaces).lowercased()
        guard let value = Double(number), value.isFinite, let multiplier = multipliers[unit] else { throw .invalid(text) }
        let bytes = (value * multiplier).rounded(.down)
        guard bytes >= 0, bytes < Double(Int64.max / 2) else { throw .invalid(text) }
        return Int64(bytes)
    }

    /// `12.3 MB`: powers of 1024, like the `M` people type for `--cache-size`.
    public static func format(_ bytes: Int64) -> String {
        bytes == 0 ? "0 bytes" : ByteCountFormatter.string(fromByteCount: bytes, countStyle: .binary)
    }
}
