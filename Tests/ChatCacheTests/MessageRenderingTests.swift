@testable import ChatCache
import Foundation
import Testing

/// The exact bytes of a message file, pinned: rendering is a hot path that was rewritten
/// for speed (docs/design.md, "Rendering"), and what `cat` shows must not change with it.
@Suite struct MessageRenderingTests {
    private func rendered(sequence: Int = 42, id: String = "6f1c2a9e-0b7d-4a51-9c3e-2d8f10e4b7a1", sender: String = "alice",
                          fullName: String? = "Alice Martin", at seconds: Double = 1_770_711_342.75,
                          body: String) -> String {
        let date = Date(timeIntervalSince1970: seconds)
        let bytes = MessageFormat.render(sequence: sequence, id: id, sender: sender, senderFullName: fullName,
                                         createdAt: date, body: body)
        #expect(MessageFormat.renderedSize(sequence: sequence, id: id, sender: sender, senderFullName: fullName,
                                           createdAt: date, body: body) == bytes.count)
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test func plainMessage() {
        #expect(rendered(body: "The printer on floor 2 is jammed again.") == """
            From: Alice Martin <alice>
            Date: 2026-02-10T08:15:42Z
            Sequence: 42
            Message-Id: 6f1c2a9e-0b7d-4a51-9c3e-2d8f10e4b7a1

            The printer on floor 2 is jammed again.

            """)
    }

    @Test func systemMessageWithoutFullNameKeepsItsFinalNewline() {
        #expect(rendered(sequence: 1_234_567, id: "x", sender: "system", fullName: nil, at: -1, body: "Ticket opened.\n") == """
            From: system
            Date: 1969-12-31T23:59:59Z
            Sequence: 1234567
            Message-Id: x

            Ticket opened.

            """)
        #expect(rendered(fullName: "", body: "").hasPrefix("From: alice\n"))
    }

    /// Control (Cc) and format (Cf) characters from the server become spaces in headers,
    /// never in the body; a body ending in CRLF still gets its "\n" (CRLF is one Character).
    @Test func headerValuesAreMadeSafe() {
        let text = rendered(id: "a\rb\u{200B}c\u{7F}d", fullName: "Bob\nFrom: root\u{00AD} Ünal 😀",
                            body: "line\u{7}\r\n")
        #expect(text == "From: Bob From: root  Ünal 😀 <alice>\nDate: 2026-02-10T08:15:42Z\nSequence: 42\n"
                + "Message-Id: a b c d\n\nline\u{7}\r\n\n")
    }

    @Test func datesAtTheEndsOfTheRange() {
        #expect(rendered(at: 253_402_300_799, body: "x").contains("\nDate: 9999-12-31T23:59:59Z\n"))
        #expect(rendered(at: -62_167_219_200, body: "x").contains("\nDate: 0000-01-01T00:00:00Z\n"))
        #expect(rendered(at: 951_782_400, body: "x").contains("\nDate: 2000-02-29T00:00:00Z\n"))
    }

    /// The header filter is Foundation's `controlCharacters` (Cc and Cf), scalar for scalar.
    @Test func headerFilterIsFoundationsControlCharacters() {
        let foundation = CharacterSet.controlCharacters
        for value in UInt32(0)...0x10FFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            #expect(MessageFormat.isControlOrFormat(scalar) == foundation.contains(scalar), "U+\(String(value, radix: 16))")
        }
    }
}
