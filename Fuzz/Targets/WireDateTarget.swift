import Foundation

/// Any text as a server datetime: nil, or a date of years 0–9999 that renders and parses
/// back to the same whole second.
enum WireDateTarget {
    static func run(_ bytes: [UInt8]) {
        guard let date = WireDate.parse(String(decoding: bytes, as: UTF8.self)) else { return }
        let seconds = date.timeIntervalSince1970
        precondition(seconds.isFinite && seconds >= -62_167_219_200 && seconds < 253_402_300_800, "out of range: \(seconds)")
        let whole = Date(timeIntervalSince1970: seconds.rounded(.down))
        let rendered = MessageFormat.dateString(whole)
        precondition(WireDate.parse(rendered) == whole, "\(rendered) does not parse back to \(whole)")
    }
}
