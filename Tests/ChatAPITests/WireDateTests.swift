import Foundation
import Testing
@testable import ChatAPI

@Suite struct WireDateTests {
    /// 2026-02-10T08:15:42Z as seconds since 1970.
    let base = 1_770_711_342.0

    @Test func parsesMicrosecondsWithZ() throws {
        let date = try #require(WireDate.parse("2026-02-10T08:15:42.123456Z"))
        #expect(abs(date.timeIntervalSince1970 - (base + 0.123456)) < 1e-6)
    }

    @Test func parsesWholeSecondsWithZ() {
        #expect(WireDate.parse("2026-02-10T08:15:42Z") == Date(timeIntervalSince1970: base))
    }

    @Test func parsesAuthMeFormWithoutZAsUTC() throws {
        let date = try #require(WireDate.parse("2026-02-10T08:15:42.123456"))
        #expect(abs(date.timeIntervalSince1970 - (base + 0.123456)) < 1e-6)
        #expect(WireDate.parse("2026-02-10T08:15:42") == Date(timeIntervalSince1970: base))
    }

    @Test(arguments: [("1", 0.1), ("12", 0.12), ("123", 0.123), ("1234", 0.1234), ("12345", 0.12345),
                      ("123456", 0.123456), ("000001", 0.000001)])
    func parsesFractionsOfOneToSixDigits(digits: String, fraction: Double) throws {
        let date = try #require(WireDate.parse("2026-02-10T08:15:42.\(digits)Z"))
        #expect(abs(date.timeIntervalSince1970 - (base + fraction)) < 1e-6)
    }

    @Test func handlesLeapDaysAndTheEpoch() {
        #expect(WireDate.parse("1970-01-01T00:00:00Z") == Date(timeIntervalSince1970: 0))
        #expect(WireDate.parse("2024-02-29T00:00:00Z") == Date(timeIntervalSince1970: 1_709_164_800))
        #expect(WireDate.parse("2025-02-29T00:00:00Z") == nil)
    }

    @Test(arguments: ["", "2026-02-10", "2026-02-10 08:15:42Z", "2026-13-10T08:15:42Z", "2026-02-10T24:00:00Z",
                      "2026-02-10T08:15:42.Z", "2026-02-10T08:15:42.1234567890Z", "2026-02-10T08:15:42ZZ",
                      "2026-02-10T08:15:42+01:00", "２０２６-02-10T08:15:42Z", "+026-02-10T08:15:42Z"])
    func rejectsAnythingElse(text: String) {
        #expect(WireDate.parse(text) == nil)
    }

    @Test func decodesInsideJSONAndReportsBadDatesAsErrors() throws {
        struct Stamp: Decodable { var at: Date }
        let decoder = WireJSON.decoder()
        let stamp = try decoder.decode(Stamp.self, from: Data(#"{"at":"2026-02-10T08:15:42Z"}"#.utf8))
        #expect(stamp.at == Date(timeIntervalSince1970: base))
        #expect(throws: DecodingError.self) {
            try decoder.decode(Stamp.self, from: Data(#"{"at":"yesterday"}"#.utf8))
        }
    }
}
