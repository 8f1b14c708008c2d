import GRDB

// The help desk's organisation: business units and who works in them, and the labels a
// request is filed under. Column names are the snake_case of the property names.

/// A team that owns requests (`requests.business_unit_id`); its technicians see them.
struct BusinessUnitRecord: Codable, FetchableRecord, PersistableRecord, Sendable, Equatable {
    static let databaseTableName = "business_units"
    var id: Int64
    var name: String
}

/// A technician working in a business unit; a supervisor may assign and unassign its requests.
struct BusinessUnitMemberRecord: Codable, FetchableRecord, PersistableRecord, Sendable, Equatable {
    static let databaseTableName = "business_unit_members"
    static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase
    var businessUnitId: Int64
    var userId: String
    var isSupervisor: Bool
}

/// A category, or a subcategory when it has a parent.
struct CategoryRecord: Codable, FetchableRecord, PersistableRecord, Sendable, Equatable {
    static let databaseTableName = "categories"
    static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase
    var id: Int64
    var name: String
    var parentId: Int64?
}

struct TagRecord: Codable, FetchableRecord, PersistableRecord, Sendable, Equatable {
    static let databaseTableName = "tags"
    var id: Int64
    var name: String
}
