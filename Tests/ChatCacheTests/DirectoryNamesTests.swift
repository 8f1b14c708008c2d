import Foundation
import ChatCache
import Testing

struct DirectoryNamesTests {
    @Test(arguments: [
        ("VPN / remote access", "VPN ／ remote access"),
        ("..", "_.."),
        (".", "_."),
        ("", "untitled"),
        ("   ", "untitled"),
        ("a\u{0}b", "a b"),
        ("line\nbreak\ttab", "line break tab"),
        ("  padded  ", "padded"),
        ("emoji 🖨️ broken", "emoji 🖨️ broken"),
        ("../../etc/passwd", "..／..／etc／passwd"),
    ])
    func hostileTitlesBecomeSafeNames(title: String, expected: String) {
        #expect(DirectoryNames.safeName(forTitle: title) == expected)
    }

    /// Issue 12: what a terminal shows as a line break, or shows in another order than the
    /// bytes are, or does not show at all, never reaches a name.
    @Test(arguments: [
        ("line\u{2028}separator", "line separator"),
        ("paragraph\u{2029}separator", "paragraph separator"),
        ("next\u{85}line", "next line"),  // NEL, a C1 control
        ("escape \u{1B}[31mred\u{1B}[0m", "escape  [31mred [0m"),
        ("invoice\u{202E}fdp.exe", "invoicefdp.exe"),  // right-to-left override
        ("\u{2066}isolated\u{2069} \u{2067}rtl\u{2069} \u{2068}first\u{2069}", "isolated rtl first"),
        ("\u{202A}embed\u{202C} \u{200E}marks\u{200F}", "embed marks"),
        ("\u{FEFF}BOM first", "BOM first"),
        ("zero\u{200B}width", "zerowidth"),
        ("soft\u{AD}hyphen", "softhyphen"),
        ("\u{2028}\u{2029}\u{FEFF}", "untitled"),
        ("\u{202E}.\u{202E}", "_."),
        ("Ünïcödé 日本語 ✓", "Ünïcödé 日本語 ✓"),
    ])
    func breakingAndInvisibleCharactersNeverReachAName(title: String, expected: String) {
        let name = DirectoryNames.safeName(forTitle: title)
        #expect(name == expected)
        #expect(DirectoryNames.isShownAsIs(name))
    }

    @Test func aCutNeverEndsOnASpaceNorLeavesAnEmptyName() {
        let spaced = DirectoryNames.safeName(forTitle: String(repeating: "a", count: 254) + " b")
        #expect(spaced == String(repeating: "a", count: 254))
        // Found by `scripts/fuzz names` (Fuzz/corpus/names/crash-dot-after-cut): cut, then trimmed to `.`.
        #expect(DirectoryNames.safeName(forTitle: "." + String(repeating: "\u{0}", count: 300) + "x") == "_.")
        #expect(DirectoryNames.safeName(forTitle: ".." + String(repeating: " ", count: 300) + "x") == "_..")
        // One character of 601 bytes (a letter with 300 combining accents): cut between scalars.
        let heavy = DirectoryNames.safeName(forTitle: "e" + String(repeating: "\u{301}", count: 300))
        #expect(heavy.unicodeScalars.starts(with: "e\u{301}".unicodeScalars))
        #expect(heavy.utf8.count <= 255 && heavy.utf8.count >= 254)
        let media = MediaNames.baseName(originalName: "e" + String(repeating: "\u{301}", count: 300) + ".png",
                                        createdAt: .init(timeIntervalSince1970: 0))
        #expect(media.hasPrefix("1970-01-01-") && media.hasSuffix(".png") && media.utf8.count <= 255)
    }

    /// Only a title's first 255 bytes, after its leading spaces, can reach a name, so only
    /// they are mapped (`scripts/fuzz names` ran at ~1,000 inputs/s on names of 4 KB): the
    /// character that crosses byte 255 is still dropped whole, spaces and invisible characters
    /// before the text still skipped, however many.
    @Test func onlyTheTitlesPrefixThatCanReachTheNameMatters() {
        let accented = DirectoryNames.safeName(forTitle: String(repeating: "a", count: 254) + "e\u{301} tail")
        #expect(accented == String(repeating: "a", count: 254))
        let padded = String(repeating: " \u{200B}\t", count: 200_000) + "Printer" + String(repeating: " ", count: 300) + "x"
        #expect(DirectoryNames.safeName(forTitle: padded) == "Printer")
        let long = String(repeating: "é", count: 500_000)
        #expect(DirectoryNames.safeName(forTitle: long) == String(repeating: "é", count: 127))
        let id = String(repeating: "x", count: 1_000_000) + "A1B2C3D4E5"
        #expect(DirectoryNames.disambiguated(long, chatID: id).hasSuffix(" (a1b2c3d4)"))
    }

    @Test func screenshotNamesLoseTheirRandomPartsAtAnyLength() {
        let day = Date(timeIntervalSince1970: 0)
        #expect(MediaNames.baseName(originalName: "1a2b3c4d_vpn_error_9f8e7d6c.jpg", createdAt: day) == "1970-01-01-vpn_error.jpg")
        #expect(MediaNames.baseName(originalName: "1a2b3c4d_9f8e7d6c.jpg", createdAt: day) == "1970-01-01-1a2b3c4d_9f8e7d6c.jpg")
        #expect(MediaNames.baseName(originalName: "1a2b3c4d__9f8e7d6c.png", createdAt: day) == "1970-01-01-.png")
        let underscores = "1a2b3c4d" + String(repeating: "_", count: 1_000_000) + "9f8e7d6c.png"
        #expect(MediaNames.baseName(originalName: underscores, createdAt: day) == "1970-01-01-" + String(repeating: "_", count: 240) + ".png")
    }

    @Test(arguments: [
        ("report\u{2028}2026.pdf", "1970-01-01-report 2026.pdf"),
        ("photo\u{202E}gpj.exe", "1970-01-01-photogpj.exe"),
        ("\u{FEFF}notes.txt", "1970-01-01-notes.txt"),
        ("draft.\u{202E}txt", "1970-01-01-draft.txt"),
        ("final. version", "1970-01-01-final. version"),
        ("trailing. ", "1970-01-01-trailing."),
    ])
    func mediaNamesFollowTheSameRule(original: String, expected: String) {
        let name = MediaNames.baseName(originalName: original, createdAt: .init(timeIntervalSince1970: 0))
        #expect(name == expected)
        #expect(DirectoryNames.isShownAsIs(name))
    }

    @Test func longTitlesAreCutToAValidUTF8NameOf255BytesAtMost() {
        let title = String(repeating: "é", count: 200)  // 400 bytes
        let name = DirectoryNames.safeName(forTitle: title)
        #expect(name.utf8.count <= 255)
        #expect(name.utf8.count >= 254)
        #expect(name.allSatisfy { $0 == "é" })
        let suffixed = DirectoryNames.disambiguated(name, chatID: "A1B2C3D4-0000-0000-0000-000000000000")
        #expect(suffixed.utf8.count <= 255)
        #expect(suffixed.hasSuffix(" (a1b2c3d4)"))
    }

    /// Found by `scripts/fuzz names` (Fuzz/corpus/names/crash-fullwidth-hex-suffix): a
    /// fullwidth hex digit in the chat id made the suffix longer than its 11 bytes.
    @Test func theIdSuffixTakesOnlyASCIIHexDigits() {
        let name = DirectoryNames.disambiguated(String(repeating: "a", count: 300), chatID: "ｂｂｂ1a2b3c4d5")
        #expect(name.utf8.count == 255)
        #expect(name.hasSuffix(" (1a2b3c4d)"))
    }

    @Test func duplicatesAndReservedNamesGetTheIdSuffix() {
        let taken: Set<String> = ["Printer not working"]
        #expect(DirectoryNames.uniqueName(forTitle: "Printer not working", chatID: "0badcafe-1111", taken: taken.contains)
            == "Printer not working (0badcafe)")
        #expect(DirectoryNames.uniqueName(forTitle: ".chatfs", chatID: "12345678-aaaa", taken: { _ in false }) == ".chatfs (12345678)")
        #expect(DirectoryNames.uniqueName(forTitle: "Other", chatID: "12345678", taken: taken.contains) == "Other")
    }
}
