import Foundation

/// The names attachments get in a chat's `media/`: the upload day, then the original name
/// made safe, e.g. `2026-02-10-vpn-error.jpg`.
///
/// Like chat directories, a name is assigned once, when the attachment is first stored, and
/// kept in the database, so it is stable across mounts. When two attachments of a chat make
/// the same name, the one stored later gets its kind and server id before the extension:
/// `2026-02-10-report (file 12).pdf`. Attachments new in one listing are named oldest first,
/// so the same server data gives the same names in a fresh cache too.
public enum MediaNames {
    /// Extensions longer than this are treated as part of the stem.
    private static let maxExtensionBytes = 16

    /// `2026-02-10-<safe name>`, at most 255 bytes, keeping the extension.
    public static func baseName(originalName: String, createdAt: Date) -> String {
        // Scalars mapped first, so an invisible one cannot hide in (or make) the extension.
        let readable = DirectoryNames.shownText(readableName(originalName))
        let ext = fileExtension(of: readable)
        let stem = DirectoryNames.safeName(forTitle: String(readable.dropLast(ext.count)))
        return fitted(stem: "\(day(createdAt))-\(stem)", extension: ext.isEmpty ? "" : DirectoryNames.safeName(forTitle: ext))
    }

    /// The base name with the attachment's kind and server id before the extension.
    public static func disambiguated(_ base: String, kind: AttachmentKind, serverID: Int) -> String {
        fitted(stem: stem(of: base), extension: fileExtension(of: base), suffix: " (\(kind.rawValue) \(serverID))")
    }

    /// A name for an attachment, unique among the names already `taken` in its chat.
    public static func uniqueName(originalName: String, createdAt: Date, kind: AttachmentKind, serverID: Int,
                                  taken: (String) -> Bool) -> String {
        let base = baseName(originalName: originalName, createdAt: createdAt)
        if !taken(base) { return base }
        let suffixed = disambiguated(base, kind: kind, serverID: serverID)
        if !taken(suffixed) { return suffixed }
        // The server repeating an id within one chat: never expected, but names stay unique.
        var counter = 2
        while taken(fitted(stem: stem(of: suffixed), extension: fileExtension(of: suffixed), suffix: "-\(counter)")) {
            counter += 1
        }
        return fitted(stem: stem(of: suffixed), extension: fileExtension(of: suffixed), suffix: "-\(counter)")
    }

    /// Screenshots are stored as `<8 hex>_<stem>_<8 hex>.jpg`: the random parts say nothing.
    static func readableName(_ original: String) -> String {
        // Found by index, not split: a name of a million `_` made a million substrings.
        guard let first = original.firstIndex(of: "_"), let last = original.lastIndex(of: "_"), first != last,
              isHex8(original[..<first]) else { return original }
        let tail = original[original.index(after: last)...]
        let dot = tail.firstIndex(of: ".") ?? tail.endIndex
        guard isHex8(tail[..<dot]) else { return original }
        return String(original[original.index(after: first)..<last]) + tail[dot...]
    }

    private static func isHex8(_ text: Substring) -> Bool {
        text.count == 8 && text.allSatisfy(\.isHexDigit)
    }

    /// The UTC day, `yyyy-MM-dd`.
    static func day(_ date: Date) -> String {
        String(MessageFormat.dateString(date).prefix(10))
    }

    private static func fileExtension(of name: String) -> String {
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return "" }
        let ext = String(name[dot...])
        // A space in it (`report. final`) makes it part of the stem: safe names are trimmed.
        return ext.utf8.count <= maxExtensionBytes && ext.count > 1 && !ext.contains(where: \.isWhitespace) ? ext : ""
    }

    private static func stem(of name: String) -> String {
        String(name.dropLast(fileExtension(of: name).count))
    }

    /// `stem + suffix + ext` cut to 255 bytes from the stem, so the extension survives.
    private static func fitted(stem: String, extension ext: String, suffix: String = "") -> String {
        let room = DirectoryNames.maxBytes - ext.utf8.count - suffix.utf8.count
        return DirectoryNames.truncated(stem, toBytes: room) + suffix + ext
    }
}
