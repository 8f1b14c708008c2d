import Foundation

/// The stable JSON form of the status (README "Status"): `chatfs status --json`, the
/// mount's `.chatfs/status.json`, and what `chatfs sync` and `chatfs unmount` read.
extension CacheStatus {
    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return try encoder.encode(self) + Data("\n".utf8)
    }

    public static func decode(_ data: Data) throws -> CacheStatus {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(CacheStatus.self, from: data)
    }
}
