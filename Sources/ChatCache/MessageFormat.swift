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

    /// The file's bytes, appended directly (no intermediate String): this runs for every
    /// READ of a message file the kernel does not have cached.
    public static func render(
        sequence: Int, id: String, sender: String, senderFullName: String?,
        createdAt: Date, body: String
    ) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(160 + id.utf8.count + (senderFullName?.utf8.count ?? 0) + body.utf8.count)
        bytes += "From: ".utf8
        if let senderFullName, !senderFullName.isEmpty {
            appendHeaderSafe(senderFullName, to: &bytes)
            bytes += " <".utf8
            bytes += sender.utf8
            bytes += ">".utf8
        } else {
            bytes += sender.utf8
        }
        bytes += "\nDate: ".utf8
        UTCTimestamp.append(createdAt, to: &bytes)
        bytes += "\nSequence: ".utf8
        bytes += String(sequence).utf8
        bytes += "\nMessage-Id: ".utf8
        appendHeaderSafe(id, to: &bytes)
        bytes += "\n".utf8
        bytes += "\n".utf8
        bytes += body.utf8
        // Character-wise, as the file always had it: a body ending in CRLF gets a "\n" too.
        if !body.hasSuffix("\n") { bytes += "\n".utf8 }
        return bytes
    }

    /// The byte count of `render`: stored with every message (ingest calls it once each).
    public static func renderedSize(
        sequence: Int, id: String, sender: String, senderFullName: String?,
        createdAt: Date, body: String
    ) -> Int {
        render(sequence: sequence, id: id, sender: sender, senderFullName: senderFullName,
               createdAt: createdAt, body: body).count
    }

    /// ISO 8601 in UTC with whole seconds: `2026-02-10T08:15:42Z` (see `UTCTimestamp`).
    public static func dateString(_ date: Date) -> String {
        UTCTimestamp.string(date)
    }

    /// Header values come from the server: a line break in one would forge a header. Control
    /// and format characters (Unicode Cc and Cf, Foundation's `controlCharacters`) become
    /// spaces; the common value has none and is copied as it is.
    private static func appendHeaderSafe(_ value: String, to bytes: inout [UInt8]) {
        guard value.unicodeScalars.contains(where: isControlOrFormat) else {
            bytes += value.utf8
            return
        }
        for scalar in value.unicodeScalars {
            UTF8.encode(isControlOrFormat(scalar) ? " " : scalar) { bytes.append($0) }
        }
    }

    static func isControlOrFormat(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII { return scalar.value < 0x20 || scalar.value == 0x7F }
        // Foundation's set repeats the tag characters' pattern (U+E0001, U+E0020–E007F)
        // over the rest of plane 14; files rendered before kept those as spaces, so do we.
        if (0xE0100...0xEFFFF).contains(scalar.value) {
            let low = scalar.value & 0xFF
            return low == 0x01 || (0x20...0x7F).contains(low)
        }
        switch scalar.properties.generalCategory {
        case .control, .format: return true
        default: return false
        }
    }
}
