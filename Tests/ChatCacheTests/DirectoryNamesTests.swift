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

    @Test func duplicatesAndReservedNamesGetTheIdSuffix() {
        let taken: Set<String> = ["Printer not working"]
        #expect(DirectoryNames.uniqueName(forTitle: "Printer not working", chatID: "0badcafe-1111", taken: taken.contains)
            == "Printer not working (0badcafe)")
        #expect(DirectoryNames.uniqueName(forTitle: ".chatfs", chatID: "12345678-aaaa", taken: { _ in false }) == ".chatfs (12345678)")
        #expect(DirectoryNames.uniqueName(forTitle: "Other", chatID: "12345678", taken: taken.contains) == "Other")
    }
}
