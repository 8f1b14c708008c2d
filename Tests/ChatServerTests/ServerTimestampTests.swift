import Testing

@testable import ChatServer

struct ServerTimestampTests {
    @Test func rendersMicrosecondsWithZ() {
        let time = ServerTimestamp(microseconds: 1_770_711_342_123_456)
        #expect(time.apiString == "2026-02-10T08:15:42.123456Z")
    }

    @Test func dropsTheFractionWhenItIsZero() {
        #expect(ServerTimestamp(microseconds: 1_770_711_342_000_000).apiString == "2026-02-10T08:15:42Z")
        #expect(ServerTimestamp(microseconds: 0).apiString == "1970-01-01T00:00:00Z")
    }

    @Test func keepsLeadingZerosOfTheFraction() {
        #expect(ServerTimestamp(microseconds: 951_868_799_000_001).apiString == "2000-02-29T23:59:59.000001Z")
    }

    @Test func authMeFormHasNoZ() {
        #expect(ServerTimestamp(microseconds: 1_770_711_342_123_456).naiveString == "2026-02-10T08:15:42.123456")
        #expect(ServerTimestamp(microseconds: 1_770_711_342_000_000).naiveString == "2026-02-10T08:15:42")
    }

    @Test func handlesTimesBeforeTheEpoch() {
        #expect(ServerTimestamp(microseconds: -500_000).apiString == "1969-12-31T23:59:59.500000Z")
    }

    @Test(arguments: [
        ("2026-02-10T08:15:42.123456Z", Int64(1_770_711_342_123_456)),
        ("2026-02-10T08:15:42Z", 1_770_711_342_000_000),
        ("2026-02-10T08:15:42.123456", 1_770_711_342_123_456),
        ("2026-02-10T08:15:42.5Z", 1_770_711_342_500_000),
        ("2000-02-29T23:59:59.000001Z", 951_868_799_000_001),
    ])
    func parsesEveryFormTheAPIUses(text: String, microseconds: Int64) {
        #expect(ServerTimestamp(iso8601: text)?.microseconds == microseconds)
    }

    @Test(arguments: [
        "", "2026-02-10", "2026-02-30T00:00:00Z", "2026-13-01T00:00:00Z", "2026-02-10T24:00:00Z",
        "2026-02-10T08:15:42.1234567Z", "2026-02-10T08:15:42.Z", "2026-2-10T08:15:42Z", "abcd-ef-ghTij:kl:mnZ",
    ])
    func rejectsMalformedTimes(text: String) {
        #expect(ServerTimestamp(iso8601: text) == nil)
    }

    @Test func roundTripsThroughTheAPIForm() {
        for microseconds: Int64 in [0, 1, 999_999, 1_000_000, 1_767_600_000_000_000, 4_102_444_800_123_000] {
            let time = ServerTimestamp(microseconds: microseconds)
            #expect(ServerTimestamp(iso8601: time.apiString) == time)
        }
    }
}
