import GRDB

/// Business units and their members, for the demo data and the `/_test` endpoints.
extension ChatStore {
    func businessUnit(named name: String) async throws -> BusinessUnitRecord? {
        try await database.read { db in try BusinessUnitRecord.filter(Column("name") == name).fetchOne(db) }
    }

    /// Where `/_test/chats` files a request by default: the first business unit, if any.
    func defaultBusinessUnit() async throws -> BusinessUnitRecord? {
        try await database.read { db in try BusinessUnitRecord.order(Column("id")).fetchOne(db) }
    }

    /// The unit called `name`, created when missing.
    static func businessUnit(_ db: Database, named name: String) throws -> BusinessUnitRecord {
        if let unit = try BusinessUnitRecord.filter(Column("name") == name).fetchOne(db) { return unit }
        let id = (try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM business_units") ?? 0) + 1
        let unit = BusinessUnitRecord(id: id, name: name)
        try unit.insert(db)
        return unit
    }

    /// Creates a user working in the named business units (created when missing).
    func createUser(_ user: UserRecord, memberOf units: [String], supervising: [String]) async throws {
        try await database.write { db in
            try Self.insertUser(db, user)
            for name in Set(units + supervising) {
                try BusinessUnitMemberRecord(
                    businessUnitId: try Self.businessUnit(db, named: name).id, userId: user.id,
                    isSupervisor: supervising.contains(name)
                ).insert(db)
            }
        }
    }

    /// Makes an account active or inactive (an administrator's switch); false when no user
    /// has that name. Its tokens then answer 401 and its logins 403 (`user(token:)`, AuthRoutes).
    func setActive(username: String, _ active: Bool) async throws -> Bool {
        try await database.write { db in
            try db.execute(sql: "UPDATE users SET is_active = ? WHERE username = ?", arguments: [active, username])
            return db.changesCount > 0
        }
    }
}
