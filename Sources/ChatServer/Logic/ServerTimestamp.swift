import Foundation

/// A point in time as the server stores it: whole microseconds since the Unix epoch (UTC).
///
/// The backend's datetimes are naive UTC with microsecond precision, and Python drops the
/// fraction entirely when it is zero; rendering is done by hand because Foundation's ISO 8601
/// formatters stop at milliseconds.
struct ServerTimestamp: Sendable, Hashable, Comparable {
    var microseconds: Int64

    init(microseconds: Int64) {
        self.microseconds = microseconds
    }

    static func now() -> ServerTimestamp {
        ServerTimestamp(microseconds: Int64((Date().timeIntervalSince1970 * 1_000_000).rounded()))
    }

    static func < (lhs: ServerTimestamp, rhs: ServerTimestamp) -> Bool {
        lhs.microseconds < rhs.microseconds
    }

    /// The API form: `2026-02-10T08:15:42.123456Z`, or `2026-02-10T08:15:42Z` when the
    /// fraction is zero.
    var apiString: String { naiveString + "Z" }

    /// The `/auth/me` form: as `apiString` without the `Z`.
    var naiveString: String {
        let (seconds, fraction) = microseconds.floorDividedBy(1_000_000)
        let (days, secondOfDay) = seconds.floorDividedBy(86_400)
        let (year, month, day) = Self.civilDate(daysSinceEpoch: days)
        var text = Self.padded(year, 4) + "-" + Self.padded(month, 2) + "-" + Self.padded(day, 2)
        text += "T" + Self.padded(secondOfDay / 3600, 2) + ":" + Self.padded(secondOfDay / 60 % 60, 2)
        text += ":" + Self.padded(secondOfDay % 60, 2)
        if fraction != 0 {
            text += "." + Self.padded(fraction, 6)
        }
        return text
    }

    /// Parses `YYYY-MM-DDTHH:MM:SS[.f{1,6}][Z]` as UTC; nil for anything else.
    init?(iso8601 text: String) {
        var scalars = Substring(text)
        if scalars.hasSuffix("Z") { scalars = scalars.dropLast() }
        let parts = scalars.split(separator: "T", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return nil }
        let dateFields = parts[0].split(separator: "-", omittingEmptySubsequences: false)
        let timeAndFraction = parts[1].split(separator: ".", omittingEmptySubsequences: false)
        guard dateFields.count == 3, (1...2).contains(timeAndFraction.count) else { return nil }
        let timeFields = timeAndFraction[0].split(separator: ":", omittingEmptySubsequences: false)
        guard timeFields.count == 3,
              let year = Self.digits(dateFields[0], count: 4), let month = Self.digits(dateFields[1], count: 2),
              let day = Self.digits(dateFields[2], count: 2), let hour = Self.digits(timeFields[0], count: 2),
              let minute = Self.digits(timeFields[1], count: 2), let second = Self.digits(timeFields[2], count: 2),
              (1...12).contains(month), (1...Self.daysIn(month: month, year: year)).contains(day),
              hour < 24, minute < 60, second < 60
        else { return nil }
        var fraction: Int64 = 0
        if timeAndFraction.count == 2 {
            let digits = timeAndFraction[1]
            guard (1...6).contains(digits.count), let value = Self.digits(digits, count: digits.count) else { return nil }
            fraction = value * Self.powerOfTen(6 - digits.count)
        }
        let days = Self.daysSinceEpoch(year: year, month: month, day: day)
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second
        self.microseconds = seconds * 1_000_000 + fraction
    }

    // MARK: Calendar arithmetic (proleptic Gregorian, Howard Hinnant's algorithms)

    static func civilDate(daysSinceEpoch: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = daysSinceEpoch + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    static func daysSinceEpoch(year: Int64, month: Int64, day: Int64) -> Int64 {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    private static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    private static func digits(_ text: Substring, count: Int) -> Int64? {
        guard text.count == count, text.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int64(text)
    }

    private static func powerOfTen(_ exponent: Int) -> Int64 {
        (0..<exponent).reduce(1) { value, _ in value * 10 }
    }

    private static func padded(_ value: Int64, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}

extension Int64 {
    /// Quotient and remainder rounded towards negative infinity (the remainder is never negative).
    fileprivate func floorDividedBy(_ divisor: Int64) -> (quotient: Int64, remainder: Int64) {
        let quotient = self / divisor
        let remainder = self % divisor
        return remainder < 0 ? (quotient - 1, remainder + divisor) : (quotient, remainder)
    }
}
