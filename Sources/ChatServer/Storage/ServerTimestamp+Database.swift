import GRDB

/// Stored as an INTEGER of microseconds, so record types can hold timestamps directly
/// (GRDB prefers this conformance over `Codable` when it reads and writes a column).
extension ServerTimestamp: DatabaseValueConvertible, Codable {
    var databaseValue: DatabaseValue { microseconds.databaseValue }

    static func fromDatabaseValue(_ dbValue: DatabaseValue) -> ServerTimestamp? {
        Int64.fromDatabaseValue(dbValue).map(ServerTimestamp.init(microseconds:))
    }

    init(from decoder: any Decoder) throws {
        microseconds = try decoder.singleValueContainer().decode(Int64.self)
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(microseconds)
    }
}
