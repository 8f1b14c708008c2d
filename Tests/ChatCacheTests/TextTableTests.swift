import ChatCache
import Testing

struct TextTableTests {
    func table() -> TextTable {
        var table = TextTable(header: ["CHAT", "MESSAGES", "UNREAD"])
        table.rows = [
            ["Printer not working", "12/12", "0"],
            ["VPN ／ remote access", "3/40", "12"],
            ["A very long chat title that goes on and on about a broken printer", "1/1", "1"],
        ]
        return table
    }

    @Test func columnsAlignWhateverTheCharactersWidth() {
        let lines = table().render(width: nil)
        #expect(lines[0] == "CHAT" + String(repeating: " ", count: 61) + "  MESSAGES  UNREAD")
        // "／" takes two columns: the next column starts where it does in the other rows.
        let start = lines.map { line in DisplayWidth.of(String(line.prefix { $0 != "1" && $0 != "3" && $0 != "M" })) }
        #expect(Set(start.prefix(3)).count == 1, "\(lines)")
        #expect(lines[3].hasPrefix("A very long chat title that goes on and on about a broken printer  1/1"))
    }

    @Test func longNamesAreShortenedToFitTheWidth() {
        let lines = table().render(width: 50)
        #expect(lines.allSatisfy { DisplayWidth.of($0) <= 50 }, "\(lines)")
        // 50 - MESSAGES (8) - UNREAD (6) - two gaps (4) = 32 columns for the name.
        #expect(lines[3].hasPrefix("A very long chat title that goe…  1/1"), "\(lines)")
        #expect(lines[1].hasPrefix("Printer not working"))
    }

    @Test func theNameNeverShrinksBelowSixteenColumns() {
        let lines = table().render(width: 10)
        #expect(lines[3].hasPrefix("A very long cha…  "))
    }

    @Test func optionalColumnsGoFirstWhenTheWidthIsShort() {
        var table = table()
        table.optionalColumns = [2, 1]
        #expect(table.render(width: 30)[0] == "CHAT                  MESSAGES")
        #expect(table.render(width: 22)[0] == "CHAT")
        #expect(table.render(width: nil)[0].hasSuffix("MESSAGES  UNREAD"))
    }

    @Test func shorteningCountsWideCharactersTwice() {
        #expect(DisplayWidth.of("VPN ／ remote") == 13)
        #expect(DisplayWidth.shortened("ＡＢＣＤ", to: 6) == "ＡＢ…")
        #expect(DisplayWidth.shortened("short", to: 6) == "short")
    }
}
