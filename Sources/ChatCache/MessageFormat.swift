import Foundation

/// How a message looks as a file: an RFC 5322-style header block, a blank line and the
/// body, so that `grep '^From: .*alice'` and `cat` both work. It lives in the cache (not
/// the filesystem) because the rendered size is computed once, when a message is stored.
///
/// The bytes come from the message alone, never from its attachment: the deployed backend's
/// message list leaves the file fields null, so an attachment named here would show in the
/// cache that sent it and not in a fresh one (docs/design.md, "The tree"). `media/` names
/// attachments; the body (`[File: report.pdf]`, `[Screenshot]`) says one came with it.
public enum MessageFormat {
    /// `000042-alice.txt`: the sequence zero-padded to six digits (more when larger) so
    /// that `ls` sorts files in conversation order.
    public static func fileName(sequence: Int, sender: String) -> String {
        let digits = String(sequence)
        let padded = String(repeating: "0", count: max(0, 6 - digits.count)) + digits
        return "\(padded)-\(sender).txt"
    }

    /// The sequence a message file name starts with, or nil when the name is not one.
    public static func sequence(inFileName name: String) -> Int? {
        let digits = name.utf8.prefix { $0 >= 0x30 && $0 <= 0x39 }
        guard digits.count >= 6, digits.count <= 18 else { return nil }
        return Int(String(decoding: digits, as: UTF8.self))
    }

    /// The sender part of a file name: a username reduced to `[A-Za-z0-9._-]` (at most 64
    /// bytes), or `system` for messages without a sender.
    public static func senderName(username: String?) -> String {
        guard let username else { return "system" }
        let allowed = username.unicodeScalars.prefix(64).map { scalar -> Character in
            let ok = scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar) || "._-".unicodeScalars.contains(scalar))
            return ok ? Character(scalar) : "_"
        }
        let name = String(allowed)
        return name.isEmpty || name.allSatisfy({ $0 == "." }) ? "unknown" : name
    }

    public static func render(
        sequence: Int, id: String, sender: String, senderFullName: String?,
        createdAt: Date, body: String
    ) -> [UInt8] {
        Array(text(sequence: sequence, id: id, sender: sender, senderFullName: senderFullName,
                   createdAt: createdAt, body: body).utf8)
    }

    /// Counted without building the bytes: this runs for every message stored.
    public static func renderedSize(
        sequence: Int, id: String, sender: String, senderFullName: String?,
        createdAt: Date, body: String
    ) -> Int {
        text(sequence: sequence, id: id, sender: sender, senderFullName: senderFullName,
             createdAt: createdAt, body: body).utf8.count
    }

    private static func text(
        sequence: Int, id: String, sender: String, senderFullName: String?,
        createdAt: Date, body: String
    ) -> String {
        var from = sender
        if let senderFullName, !senderFullName.isEmpty {
            from = "\(headerSafe(senderFullName)) <\(sender)>"
        }
        var text = "From: \(from)\nDate: \(dateString(createdAt))\nSequence: \(sequence)\nMessage-Id: \(headerSafe(id))\n"
        text += "\n"
        text += body
        if !body.hasSuffix("\n") { text += "\n" }
        return text
    }

    /// ISO 8601 in UTC with whole seconds: `2026-02-10T08:15:42Z` (see `UTCTimestamp`).
    public static func dateString(_ date: Date) -> String {
        UTCTimestamp.string(date)
    }

    /// Header values come from the server: a line break in one would forge a header.
    private static func headerSafe(_ value: String) -> String {
        String(value.unicodeScalars.map { CharacterSet.controlCharacters.contains($0) ? " " : Character($0) })
    }
}
