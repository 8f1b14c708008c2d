import ChatCache
import Foundation
import Testing

/// Dates in message headers and media names read as the server wrote them: proleptic
/// Gregorian, whole seconds, UTC.
struct DateStringTests {
    @Test(arguments: [
        (1_770_711_342.9, "2026-02-10T08:15:42Z"),
        (-1, "1969-12-31T23:59:59Z"),
        (0, "1970-01-01T00:00:00Z"),
        (951_782_400, "2000-02-29T00:00:00Z"),
        (-62_135_596_800, "0001-01-01T00:00:00Z"),
        (253_402_300_799, "9999-12-31T23:59:59Z"),
        // Found by `scripts/fuzz date` (Fuzz/corpus/date/crash-julian-1448.txt): Foundation's
        // calendar is Julian before 1582-10-15 and rendered this as 1448-02-09.
        (-16_468_587_858, "1448-02-18T08:15:42Z"),
        (-12_219_292_801, "1582-10-14T23:59:59Z"),
    ])
    func datesRenderInTheProlepticGregorianCalendar(seconds: Double, expected: String) {
        #expect(MessageFormat.dateString(Date(timeIntervalSince1970: seconds)) == expected)
    }

    @Test func datesBeyondWhatTheWireCarriesStayWellFormed() {
        #expect(MessageFormat.dateString(Date(timeIntervalSince1970: 1e15)) == "9999-12-31T23:59:59Z")
        #expect(MessageFormat.dateString(Date(timeIntervalSince1970: -.infinity)) == "0000-01-01T00:00:00Z")
        #expect(MessageFormat.dateString(Date(timeIntervalSince1970: .nan)) == "1970-01-01T00:00:00Z")
    }
}
