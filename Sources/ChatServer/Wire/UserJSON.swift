/// The user objects of `/auth/login` (camelCase) and `/auth/me` (snake_case, naive datetimes).
enum UserJSON {
    static func loginUser(_ user: UserRecord) -> JSONValue {
        .object([
            ("id", .string(user.id)),
            ("username", .string(user.username)),
            ("email", .string(user.email)),
            ("fullName", .string(user.fullName)),
            ("isActive", .bool(user.isActive)),
            ("isTechnician", .bool(user.isTechnician)),
            ("isSuperAdmin", .bool(user.isSuperAdmin)),
        ])
    }

    static func me(_ user: UserRecord) -> JSONValue {
        .object([
            ("id", .string(user.id)),
            ("username", .string(user.username)),
            ("email", .string(user.email)),
            ("full_name", .string(user.fullName)),
            ("title", .string(user.title)),
            ("is_active", .bool(user.isActive)),
            ("is_online", .bool(true)),
            ("created_at", .string(user.createdAt.naiveString)),
            ("updated_at", .string(user.updatedAt.naiveString)),
            ("last_seen", .string(user.lastSeen?.naiveString)),
        ])
    }
}
