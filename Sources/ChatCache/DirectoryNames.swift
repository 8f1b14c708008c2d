import Foundation

/// Chat directory names: made safe from a title the server controls, and unique.
///
/// A name is assigned once, when the chat is first stored, and kept in the database, so it
/// is stable across mounts. When two chats make the same name, the one stored later gets
/// the first 8 hex digits of its id appended (` (a1b2c3d4)`); chats new in one chat-list
/// refresh are named oldest first, so the same server data gives the same names in a
/// fresh cache too.
public enum DirectoryNames {
    /// Names the root directory uses for itself (`queues/` on a technician's mount).
    public static let reserved: Set<String> = [".chatfs", "queues", "unread"]

    static let maxBytes = 255
    private static let suffixBytes = 11  // " (a1b2c3d4)"

    /// The safe form of a title: no `/` (shown as the look-alike `／`, like rclone), nothing
    /// a terminal or a shell script trips on (see `shown(_:)`), trimmed, never empty, `.` or
    /// `..`, at most 255 bytes of UTF-8 (cut on a character boundary).
    public static func safeName(forTitle title: String) -> String {
        // Trimmed after the cut, which may end on a space; only then checked for `.`
        // (`.` + 300 spaces + `x` was cut to `.`: found by `scripts/fuzz names`).
        var name = trimmed(truncated(shownPrefix(of: title), toBytes: maxBytes))
        if name.isEmpty { name = "untitled" }
        if name == "." || name == ".." { name = "_" + name }
        return name
    }

    /// The title as `shown(_:)` makes it, without its leading spaces, and only as far as a
    /// name can reach: `maxBytes` and the scalar after them, which tells the cut whether the
    /// last character goes on. So a hostile title of megabytes costs one pass over its
    /// leading spaces and invisible characters, not copies of all of it.
    static func shownPrefix(of title: String) -> String {
        var scalars = String.UnicodeScalarView()
        var bytes = 0
        for scalar in title.unicodeScalars {
            guard let mapped = shown(scalar), !(scalars.isEmpty && isSpace(mapped)) else { continue }
            scalars.append(mapped)
            bytes += mapped.utf8.count
            if bytes > maxBytes { break }
        }
        return String(scalars)
    }

    /// `text` with each scalar as `shown(_:)` makes it.
    static func shownText(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if let mapped = shown(scalar) { scalars.append(mapped) }
        }
        return String(scalars)
    }

    /// `name` without leading and trailing spaces (`isSpace`).
    static func trimmed(_ name: String) -> String {
        let scalars = name.unicodeScalars
        guard let first = scalars.firstIndex(where: { !isSpace($0) }),
              let last = scalars.lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(scalars[first...last])
    }

    /// What a name is trimmed of: the space separators (Zs) and tab, as Foundation's
    /// `CharacterSet.whitespaces`.
    static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "\t" || scalar.properties.generalCategory == .spaceSeparator
    }

    /// What a title's scalar becomes in a name. The rule, by Unicode general category:
    /// - Cc (controls: NUL, tab, newline, ESC of escape sequences, C1), Zl (U+2028) and Zp
    ///   (U+2029) break lines or drive the terminal: each becomes a space, as they separate words.
    /// - Cf (invisible format characters: the bidi controls U+202A–202E and U+2066–2069
    ///   that make `txt.exe` look like `exe.txt`, the BOM U+FEFF, zero-width spaces and
    ///   joiners, soft hyphens) change how the name looks without being seen: dropped.
    ///   An emoji sequence joined by U+200D shows as its separate emoji.
    /// - `/` would make a path: the look-alike `／`.
    /// Everything else is kept, so titles in any script stay readable.
    static func shown(_ scalar: Unicode.Scalar) -> Unicode.Scalar? {
        if scalar == "/" { return "／" }
        switch scalar.properties.generalCategory {
        case .control, .lineSeparator, .paragraphSeparator: return " "
        case .format: return nil
        default: return scalar
        }
    }

    /// Whether `name` holds nothing `shown(_:)` would change (names stored by an older rule may).
    public static func isShownAsIs(_ name: String) -> Bool {
        name.unicodeScalars.allSatisfy { shown($0) == $0 }
    }

    /// The name with the chat id's first 8 hex digits, still within 255 bytes.
    public static func disambiguated(_ name: String, chatID: String) -> String {
        // ASCII only: `isHexDigit` also takes fullwidth digits (3 bytes each), which made
        // names of 256+ bytes (found by `scripts/fuzz names`).
        // Lazily, so an id of megabytes is read only up to its 8th hex digit.
        let hex = String(chatID.lazy.filter { $0.isASCII && $0.isHexDigit }.prefix(8)).lowercased()
        return truncated(name, toBytes: maxBytes - suffixBytes) + " (\(hex))"
    }

    /// A unique name for a chat given the names already taken.
    public static func uniqueName(forTitle title: String, chatID: String, taken: (String) -> Bool) -> String {
        let base = safeName(forTitle: title)
        if !taken(base) && !reserved.contains(base) { return base }
        let suffixed = disambiguated(base, chatID: chatID)
        if !taken(suffixed) { return suffixed }
        // Two ids sharing their first 8 hex digits: practically never, but names must stay unique.
        var counter = 2
        while taken("\(suffixed)-\(counter)") { counter += 1 }
        return "\(suffixed)-\(counter)"
    }

    /// `name` cut to `limit` bytes of UTF-8 on a character boundary, or on a scalar boundary
    /// when its first character alone is longer (a letter with hundreds of combining marks):
    /// never empty unless `name` is, and always valid UTF-8.
    static func truncated(_ name: String, toBytes limit: Int) -> String {
        guard name.utf8.count > limit else { return name }
        var result = ""
        var bytes = 0
        for character in name {
            let size = character.utf8.count
            if bytes + size > limit { break }
            result.append(character)
            bytes += size
        }
        if result.isEmpty {
            var scalars = String.UnicodeScalarView()
            for scalar in name.unicodeScalars {
                bytes += scalar.utf8.count
                if bytes > limit { break }
                scalars.append(scalar)
            }
            result = String(scalars)
        }
        return result
    }
}
