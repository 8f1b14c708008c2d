/// Undoes the escaping the server's sanitizer (nh3) applies to message text.
///
/// One pass, left to right: `&amp;lt;` becomes `&lt;` (what the user typed), never `<`.
/// Only the entities a sanitizer emits are decoded (`&lt; &gt; &amp; &quot; &#39;
/// &apos;` and numeric `&#NN;` / `&#xNN;`); anything else, or a numeric reference that
/// is not a valid non-NUL Unicode scalar, is left as it is.
public enum HTMLEntities {
    /// Longest entity handled, `&` and `;` included (`&#x10FFFF;`, `&#1114111;`).
    private static let maxEntityLength = 10

    private static let named: [Substring: Unicode.Scalar] = [
        "lt": "<", "gt": ">", "amp": "&", "quot": "\"", "apos": "'",
    ]

    public static func decode(_ text: String) -> String {
        guard text.utf8.contains(UInt8(ascii: "&")) else { return text }
        var result = ""
        result.reserveCapacity(text.utf8.count)
        var rest = Substring(text)
        while let ampersand = rest.firstIndex(of: "&") {
            result += rest[..<ampersand]
            let candidate = rest[ampersand...].prefix(maxEntityLength)
            if let semicolon = candidate.firstIndex(of: ";"),
               let scalar = scalar(for: rest[rest.index(after: ampersand)..<semicolon]) {
                result.unicodeScalars.append(scalar)
                rest = rest[rest.index(after: semicolon)...]
            } else {
                result += "&"
                rest = rest[rest.index(after: ampersand)...]
            }
        }
        result += rest
        return result
    }

    /// The character an entity body (between `&` and `;`) stands for.
    private static func scalar(for body: Substring) -> Unicode.Scalar? {
        guard body.first == "#" else { return named[body] }
        let digits = body.dropFirst()
        let value: UInt32?
        // UInt32(_:radix:) would also take a sign: require bare digits.
        if digits.first == "x" || digits.first == "X" {
            let hex = digits.dropFirst()
            value = hex.allSatisfy(\.isHexDigit) ? UInt32(hex, radix: 16) : nil
        } else {
            value = digits.allSatisfy(\.isWholeNumber) ? UInt32(digits, radix: 10) : nil
        }
        guard let value, value != 0 else { return nil }
        return Unicode.Scalar(value)
    }
}
