import GRDB

/// A technician assigned to a request. Assignees live in a table of their own, as on the
/// deployed backend (whose `assignedToTechnicianId` stays null after a take).
struct RequestAssigneeRecord: Codable, FetchableRecord, PersistableRecord, Sendable, Equatable {
    static let databaseTableName = "request_assignees"
    static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase
    var requestId: String
    var technicianId: String
    var assignedAt: ServerTimestamp
}
