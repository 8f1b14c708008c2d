import GRDB

/// Opens the server's SQLite database and brings its schema up to date.
///
/// Times are stored as microseconds since the epoch (`ServerTimestamp`), ids as the lowercase
/// UUID text the API shows, media bytes as blobs next to their metadata.
enum ServerDatabase {
    /// A file database (WAL, concurrent readers) at `path`, or a private in-memory one.
    static func open(path: String?) throws -> any DatabaseWriter {
        let writer: any DatabaseWriter
        if let path {
            writer = try DatabasePool(path: path)
        } else {
            writer = try DatabaseQueue()
        }
        try migrator.migrate(writer)
        return writer
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE users (
                    id TEXT PRIMARY KEY,
                    username TEXT NOT NULL UNIQUE,
                    email TEXT NOT NULL,
                    full_name TEXT,
                    title TEXT,
                    is_active INTEGER NOT NULL,
                    is_technician INTEGER NOT NULL,
                    is_super_admin INTEGER NOT NULL,
                    created_at INTEGER NOT NULL,
                    updated_at INTEGER NOT NULL,
                    last_seen INTEGER
                );
                CREATE TABLE tokens (
                    token TEXT PRIMARY KEY,
                    user_id TEXT NOT NULL REFERENCES users(id),
                    expires_at INTEGER NOT NULL
                );
                CREATE TABLE requests (
                    id TEXT PRIMARY KEY,
                    title TEXT NOT NULL,
                    requester_id TEXT NOT NULL REFERENCES users(id),
                    status_id INTEGER NOT NULL,
                    created_at INTEGER NOT NULL,
                    updated_at INTEGER NOT NULL
                );
                CREATE INDEX requests_by_requester ON requests(requester_id, created_at);
                CREATE TABLE messages (
                    id TEXT PRIMARY KEY,
                    request_id TEXT NOT NULL REFERENCES requests(id),
                    sender_id TEXT REFERENCES users(id),
                    content TEXT NOT NULL,
                    sequence_number INTEGER NOT NULL,
                    is_screenshot INTEGER NOT NULL DEFAULT 0,
                    screenshot_file_name TEXT,
                    file_name TEXT,
                    file_size INTEGER,
                    file_mime_type TEXT,
                    file_id INTEGER,
                    client_temp_id TEXT,
                    created_at INTEGER NOT NULL,
                    updated_at INTEGER NOT NULL,
                    UNIQUE (request_id, sequence_number)
                );
                CREATE INDEX messages_by_client_temp_id ON messages(request_id, client_temp_id)
                    WHERE client_temp_id IS NOT NULL;
                CREATE TABLE read_states (
                    request_id TEXT NOT NULL REFERENCES requests(id),
                    user_id TEXT NOT NULL REFERENCES users(id),
                    last_read_sequence INTEGER NOT NULL,
                    last_read_at INTEGER NOT NULL,
                    PRIMARY KEY (request_id, user_id)
                );
                CREATE TABLE chat_files (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    request_id TEXT NOT NULL REFERENCES requests(id),
                    original_filename TEXT NOT NULL,
                    stored_filename TEXT NOT NULL,
                    file_size INTEGER NOT NULL,
                    mime_type TEXT NOT NULL,
                    upload_status TEXT NOT NULL,
                    is_corrupted INTEGER NOT NULL DEFAULT 0,
                    file_hash TEXT,
                    created_at INTEGER NOT NULL,
                    data BLOB NOT NULL
                );
                CREATE INDEX chat_files_by_request ON chat_files(request_id);
                CREATE TABLE screenshots (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    request_id TEXT NOT NULL REFERENCES requests(id),
                    filename TEXT NOT NULL UNIQUE,
                    file_size INTEGER NOT NULL,
                    mime_type TEXT NOT NULL,
                    upload_status TEXT NOT NULL,
                    is_corrupted INTEGER NOT NULL DEFAULT 0,
                    file_hash TEXT,
                    created_at INTEGER NOT NULL,
                    data BLOB NOT NULL
                );
                CREATE INDEX screenshots_by_request ON screenshots(request_id);
                """)
        }
        // The help desk: who works where, what a request is filed under, who is assigned.
        migrator.registerMigration("v2-help-desk") { db in
            let solvedIDs = RequestStatus.all.filter(\.countAsSolved).map { String($0.id) }.joined(separator: ", ")
            try db.execute(sql: """
                CREATE TABLE business_units (
                    id INTEGER PRIMARY KEY,
                    name TEXT NOT NULL UNIQUE
                );
                CREATE TABLE business_unit_members (
                    business_unit_id INTEGER NOT NULL REFERENCES business_units(id),
                    user_id TEXT NOT NULL REFERENCES users(id),
                    is_supervisor INTEGER NOT NULL DEFAULT 0,
                    PRIMARY KEY (business_unit_id, user_id)
                );
                CREATE INDEX business_unit_members_by_user ON business_unit_members(user_id);
                CREATE TABLE categories (
                    id INTEGER PRIMARY KEY,
                    name TEXT NOT NULL,
                    parent_id INTEGER REFERENCES categories(id)
                );
                CREATE TABLE tags (
                    id INTEGER PRIMARY KEY,
                    name TEXT NOT NULL UNIQUE
                );
                CREATE TABLE request_assignees (
                    request_id TEXT NOT NULL REFERENCES requests(id),
                    technician_id TEXT NOT NULL REFERENCES users(id),
                    assigned_at INTEGER NOT NULL,
                    PRIMARY KEY (request_id, technician_id)
                );
                CREATE INDEX request_assignees_by_technician ON request_assignees(technician_id);
                ALTER TABLE requests ADD COLUMN priority_id INTEGER NOT NULL DEFAULT \(RequestPriority.medium.id);
                ALTER TABLE requests ADD COLUMN business_unit_id INTEGER REFERENCES business_units(id);
                ALTER TABLE requests ADD COLUMN category_id INTEGER REFERENCES categories(id);
                ALTER TABLE requests ADD COLUMN subcategory_id INTEGER REFERENCES categories(id);
                ALTER TABLE requests ADD COLUMN tag_id INTEGER REFERENCES tags(id);
                ALTER TABLE requests ADD COLUMN parent_task_id TEXT REFERENCES requests(id);
                ALTER TABLE requests ADD COLUMN due_date INTEGER;
                ALTER TABLE requests ADD COLUMN completed_at INTEGER;
                UPDATE requests SET completed_at = updated_at WHERE status_id IN (\(solvedIDs));
                CREATE INDEX requests_by_business_unit ON requests(business_unit_id, created_at);
                CREATE INDEX requests_by_parent ON requests(parent_task_id) WHERE parent_task_id IS NOT NULL;
                """)
        }
        return migrator
    }
}
