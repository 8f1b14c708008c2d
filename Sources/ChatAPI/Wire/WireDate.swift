import Foundation

/// The server's datetimes: naive UTC as `2026-02-10T08:15:42.123456Z`, without the
/// fraction when it is zero (`2026-02-10T08:15:42Z`), and without the `Z` from
/// `/auth/me` (`2026-02-10T08:15:42.123456`). All three are read as UTC; the fraction
/// may have 1 to 9 digits.
public enum WireDate {
    public static func parse(_ text: String) -> Date? {
        var utf8 = Substring(text).utf8[...]
        guard let year = number(&utf8, digits: 4), skip(&utf8, "-"),
              let month = number(&utf8, digits: 2), skip(&utf8, "-"),
              let day = number(&utf8, digits: 2), skip(&utf8, "T"),
              let hour = number(&utf8, digits: 2), skip(&utf8, ":"),
              let minute = number(&utf8, digits: 2), skip(&utf8, ":"),
              let second = number(&utf8, digits: 2)
        else { return nil }
        var fraction = 0.0
        if skip(&utf8, ".") {
            let digits = utf8.prefix { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
            guard (1...9).contains(digits.count) else { return nil }
            var numerator = 0
            var denominator = 1
            for digit in digits {
                numerator = numerator * 10 + Int(digit - UInt8(ascii: "0"))
                denominator *= 10
            }
            fraction = Double(numerator) / Double(denominator)
            utf8 = utf8.dropFirst(digits.count)
        }
        _ = skip(&utf8, "Z")
        guard utf8.isEmpty, (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day),
              hour < 24, minute < 60, second < 60
        else { return nil }
        let seconds = daysSince1970(year: year, month: month, day: day) * 86_400
            + hour * 3_600 + minute * 60 + second
        return Date(timeIntervalSince1970: Double(seconds) + fraction)
    }

    /// The decoding strategy every wire type uses.
    static let decodingStrategy = JSONDecoder.DateDecodingStrategy.custom { decoder in
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let date = parse(text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "not a datetime: \(text.prefix(40))")
        }
        return date
    }

    private static func number(_ utf8: inout Substring.UTF8View.SubSequence, digits: Int) -> Int? {
        var value = 0
        for _ in 0..<digits {
            guard let byte = utf8.first, byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
            utf8 = utf8.dropFirst()
        }
        return value
    }

    private static func skip(_ utf8: inout Substring.UTF8View.SubSequence, _ character: Unicode.Scalar) -> Bool {
        guard utf8.first == UInt8(ascii: character) else { return false }
        utf8 = utf8.dropFirst()
        return true
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's
    /// days_from_civil), so parsing needs no Calendar or formatter.
    private static func daysSince1970(year: Int, month: Int, day: Int) -> Int {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * ((month + 9) % 12) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
