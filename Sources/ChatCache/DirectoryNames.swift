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
    public static let reserved: Set<String> = [".chatfs", "queues"]

    static let maxBytes = 255
    private static let suffixBytes = 11  // " (a1b2c3d4)"

    /// The safe form of a title: no `/` (shown as the look-alike `／`, like rclone), no NUL
    /// or control characters, trimmed, never empty, `.` or `..`, at most 255 bytes of UTF-8
    /// (cut on a character boundary).
    public static func safeName(forTitle title: String) -> String {
        var name = String(title.unicodeScalars.compactMap { scalar -> Character? in
            if scalar == "/" { return "／" }
            if CharacterSet.controlCharacters.contains(scalar) { return " " }
            return Character(scalar)
        })
        name = name.trimmingCharacters(in: .whitespaces)
        if name.isEmpty { name = "untitled" }
        if name == "." || name == ".." { name = "_" + name }
        return truncated(name, toBytes: maxBytes)
    }

    /// The name with the chat id's first 8 hex digits, still within 255 bytes.
    public static func disambiguated(_ name: String, chatID: String) -> String {
        let hex = chatID.lowercased().filter(\.isHexDigit).prefix(8)
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
        return result
    }
}
