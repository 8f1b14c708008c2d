import Checksum
import Foundation

/// The strong validator of a conditional answer (docs/api.md, "The chat list"): the
/// SHA-256 of the exact bytes served, quoted. Whatever changes in what the caller sees
/// changes the bytes, so the tag; nothing the caller does not see can change it.
enum EntityTag {
    /// The tag of `body`; nil if OpenSSL cannot hash (the answer is then unconditional).
    static func of(_ body: [UInt8]) -> String? {
        (try? SHA256Digest.hex(of: body)).map { "\"\($0)\"" }
    }

    /// Whether an `If-None-Match` value names `tag` (RFC 9110 13.1.2: a comma-separated
    /// list compared weakly, so a `W/` prefix is ignored; `*` matches any current answer).
    static func matches(ifNoneMatch header: String, tag: String) -> Bool {
        header.split(separator: ",").contains { candidate in
            let trimmed = candidate.trimmingCharacters(in: .whitespaces)
            return trimmed == "*" || (trimmed.hasPrefix("W/") ? String(trimmed.dropFirst(2)) : trimmed) == tag
        }
    }
}
