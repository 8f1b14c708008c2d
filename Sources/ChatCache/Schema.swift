import Foundation
import GRDB

/// The cache's SQLite schema. There are no incremental migrations: the cache is a copy of
/// the server, so when `version` changes the cache is rebuilt from scratch on open, keeping
/// only the rows the server does not have yet (see `CacheSchema.preservedTables`).
enum CacheSchema {
    /// Bump on every change to `create(_:)`.
    static let version = 5

    /// Tables whose rows exist nowhere else (unsent messages, pins, the hit counters) or
    /// point at files outside the database (the media blobs). A rebuild copies their rows
    /// into the new schema, column by column where the names still match.
    static let preservedTables = ["outbox", "readRequest", "media", "counter"]

    static func create(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE schemaInfo (version INTEGER NOT NULL);
            CREATE TABLE meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);
            -- AUTOINCREMENT: row ids are inode numbers; a deleted row's id must never come
            -- back as another chat's or message's (the kernel may still cache the old one).
            CREATE TABLE chat (
                rowID INTEGER PRIMARY KEY AUTOINCREMENT,
                id TEXT NOT NULL UNIQUE,
                title TEXT NOT NULL,
                dirName TEXT NOT NULL UNIQUE,
                status TEXT,
                -- the server counts the status as solved: it takes no more messages
                countAsSolved INTEGER NOT NULL DEFAULT 0,
                -- what a technician triages by (from the queue views; NULL for a requester)
                priority TEXT,
                dueDate REAL,
                requester TEXT,
                businessUnit TEXT,
                category TEXT,
                technicianUnread INTEGER,
                createdAt REAL NOT NULL,
                lastMessageAt REAL,
                serverLastSequence INTEGER NOT NULL DEFAULT 0,
                unreadCount INTEGER NOT NULL DEFAULT 0,
                -- sync checkpoint (see ChatSyncState)
                newestHeld INTEGER NOT NULL DEFAULT 0,
                oldestHeld INTEGER NOT NULL DEFAULT 0,
                backfillDone INTEGER NOT NULL DEFAULT 0,
                gapCount INTEGER NOT NULL DEFAULT 0,
                firstSyncedAt REAL,
                fullSyncAt REAL,
                lastSyncedAt REAL,
                lastVisitedAt REAL,
                lastError TEXT,
                -- the sum of its messages' renderedSize, kept by the triggers below (quota)
                messageBytes INTEGER NOT NULL DEFAULT 0,
                -- when its media list was last fetched, and the newest sequence then
                mediaListedAt REAL,
                mediaListedSequence INTEGER NOT NULL DEFAULT 0,
                -- <chat>/transcript (see TranscriptFormat, docs/design.md "Transcripts"): bytes
                -- ever appended, the count at its last restart (offset 0 of the file), and
                -- the newest sequence appended
                transcriptTotal INTEGER NOT NULL DEFAULT 0,
                transcriptOrigin INTEGER NOT NULL DEFAULT 0,
                transcriptLast INTEGER NOT NULL DEFAULT 0
            );
            CREATE TABLE message (
                rowID INTEGER PRIMARY KEY AUTOINCREMENT,
                chatRowID INTEGER NOT NULL REFERENCES chat(rowID) ON DELETE CASCADE,
                sequence INTEGER NOT NULL,
                id TEXT NOT NULL,
                sender TEXT NOT NULL,
                senderFullName TEXT,
                createdAt REAL NOT NULL,
                body TEXT NOT NULL,
                clientTempID TEXT,
                renderedSize INTEGER NOT NULL,
                -- where its transcript entry ends, counted like chat.transcriptTotal; NULL
                -- when it is not in the transcript (older history, a hole filled late)
                transcriptEnd INTEGER,
                UNIQUE (chatRowID, sequence)
            );
            -- A transcript read at offset N finds its first message without a scan.
            CREATE INDEX messageTranscript ON message (chatRowID, transcriptEnd) WHERE transcriptEnd IS NOT NULL;
            -- Transcript offsets never move: a message in it that is deleted (eviction, a
            -- resync) or rewritten restarts the transcript empty (the file shrinks).
            CREATE TRIGGER transcriptRestartOnDelete AFTER DELETE ON message WHEN OLD.transcriptEnd IS NOT NULL BEGIN
                UPDATE chat SET transcriptOrigin = transcriptTotal
                WHERE rowID = OLD.chatRowID AND OLD.transcriptEnd > transcriptOrigin;
            END;
            CREATE TRIGGER transcriptRestartOnUpdate AFTER UPDATE OF id, sender, senderFullName, createdAt, body
            ON message WHEN OLD.transcriptEnd IS NOT NULL BEGIN
                UPDATE chat SET transcriptOrigin = transcriptTotal
                WHERE rowID = OLD.chatRowID AND OLD.transcriptEnd > transcriptOrigin;
            END;
            -- Usage must be cheap to read after every stored page: keep a per-chat total.
            CREATE TRIGGER messageBytesInsert AFTER INSERT ON message BEGIN
                UPDATE chat SET messageBytes = messageBytes + NEW.renderedSize WHERE rowID = NEW.chatRowID;
            END;
            CREATE TRIGGER messageBytesDelete AFTER DELETE ON message BEGIN
                UPDATE chat SET messageBytes = messageBytes - OLD.renderedSize WHERE rowID = OLD.chatRowID;
            END;
            CREATE TRIGGER messageBytesUpdate AFTER UPDATE OF renderedSize ON message BEGIN
                UPDATE chat SET messageBytes = messageBytes - OLD.renderedSize + NEW.renderedSize WHERE rowID = NEW.chatRowID;
            END;
            -- Full-text index of the messages (`chatfs search`). External content: the text
            -- stays in `message` only. Kept in the writer's transaction: updates and deletions
            -- (rare, any path) by triggers; new rows by `ChatCache.insertMessages`, after a
            -- page's rows: FTS5 flushes its pending terms at every statement savepoint (each
            -- trigger-carrying write once it is in the transaction), which made ingest 4x slower.
            CREATE VIRTUAL TABLE messageText USING fts5(
                body, sender, content = 'message', content_rowid = 'rowID', tokenize = 'unicode61 remove_diacritics 2'
            );
            CREATE TRIGGER messageTextDelete AFTER DELETE ON message BEGIN
                INSERT INTO messageText (messageText, rowid, body, sender) VALUES ('delete', OLD.rowID, OLD.body, OLD.sender);
            END;
            CREATE TRIGGER messageTextUpdate AFTER UPDATE OF body, sender ON message BEGIN
                INSERT INTO messageText (messageText, rowid, body, sender) VALUES ('delete', OLD.rowID, OLD.body, OLD.sender);
                INSERT INTO messageText (rowid, body, sender) VALUES (NEW.rowID, NEW.body, NEW.sender);
            END;
            -- Files in the chats' outbox/ directories: drafts, and messages waiting to be
            -- sent. Keyed by the server's chat id (not chat.rowID) so that rows survive a
            -- rebuild of the rest of the cache. Its rules (states, the send window, the
            -- sender) live in the ChatOutbox module; see docs/outbox.md.
            CREATE TABLE outbox (
                rowID INTEGER PRIMARY KEY AUTOINCREMENT,
                chatID TEXT NOT NULL,
                name TEXT NOT NULL,
                content BLOB NOT NULL DEFAULT x'',
                -- length(content), so that metadata reads (stat, readdir, the sender's scan)
                -- never load the content (an attachment can be 50 MB)
                size INTEGER NOT NULL DEFAULT 0,
                state TEXT NOT NULL,
                clientTempID TEXT,
                queueOrder INTEGER,
                enqueuedAt REAL,
                attempts INTEGER NOT NULL DEFAULT 0,
                -- when a waiting item may go: the end of its send window, or its next retry
                nextAttemptAt REAL,
                lastError TEXT,
                -- an attempt may have reached the server: look before sending again
                needsCheck INTEGER NOT NULL DEFAULT 0,
                -- when the last attempt that may have reached the server ended unanswered
                -- (the settle window counts from here)
                inDoubtSince REAL,
                -- Attachments (non-text files): what to upload it as, and the server's name
                -- for it once uploaded (so a retry of the announcing message never uploads twice).
                attachmentKind TEXT,
                mimeType TEXT,
                uploadedName TEXT,
                -- NULL for a message; `take` for a technician taking the chat's ticket
                action TEXT,
                -- the file's permission bits as the user set them (install, cp -p, chmod)
                mode INTEGER NOT NULL DEFAULT 420,
                modifiedAt REAL NOT NULL,
                UNIQUE (chatID, name)
            );
            CREATE INDEX outboxQueue ON outbox (state, chatID, queueOrder);
            -- Chats the user marked read, to be told to the server (offline too).
            CREATE TABLE readRequest (chatID TEXT PRIMARY KEY NOT NULL, requestedAt REAL NOT NULL);
            -- Attachments (screenshots and chat files) as the server lists them, keyed by the
            -- server's chat id so pins and cached blobs survive a rebuild. Only what the server
            -- serves is listed in media/ (`served`; see MediaNames, ChatCache+Media).
            CREATE TABLE media (
                rowID INTEGER PRIMARY KEY AUTOINCREMENT,
                chatID TEXT NOT NULL,
                kind TEXT NOT NULL,
                serverID INTEGER NOT NULL,
                originalName TEXT NOT NULL,
                name TEXT NOT NULL,
                size INTEGER NOT NULL,
                mimeType TEXT,
                createdAt REAL NOT NULL,
                uploadStatus TEXT NOT NULL,
                corrupted INTEGER NOT NULL DEFAULT 0,
                -- the server hands out the bytes: completed, or pending on the deployed backend
                served INTEGER NOT NULL DEFAULT 0,
                sha256 TEXT,
                -- the cached blob matched the server's fileHash (none while pending)
                verified INTEGER NOT NULL DEFAULT 0,
                -- the blob's file name in the media folder, and its size, while cached
                blobName TEXT,
                blobBytes INTEGER NOT NULL DEFAULT 0,
                lastAccess REAL,
                pinned INTEGER NOT NULL DEFAULT 0,
                UNIQUE (chatID, kind, serverID),
                UNIQUE (chatID, name)
            );
            CREATE INDEX mediaLRU ON media (lastAccess) WHERE blobName IS NOT NULL;
            -- A technician's queue views (docs/api.md): every view's size from the last views
            -- answer, and the members of the views fetched (in the server's order). Chats are
            -- referred to by the server's id; the chat rows themselves are in `chat`.
            CREATE TABLE queueView (
                view TEXT PRIMARY KEY NOT NULL,
                count INTEGER NOT NULL DEFAULT 0,
                membersFetchedAt REAL,
                -- the count when the members were fetched: a different count means they moved
                membersCount INTEGER
            );
            CREATE TABLE queueMember (
                view TEXT NOT NULL,
                chatID TEXT NOT NULL,
                position INTEGER NOT NULL,
                PRIMARY KEY (view, chatID)
            );
            -- Hit and miss counters (persisted across mounts).
            CREATE TABLE counter (name TEXT PRIMARY KEY NOT NULL, value INTEGER NOT NULL);
            -- Names another process (chatfs cache clear) removed, for the mount to announce.
            CREATE TABLE removal (chatRowID INTEGER NOT NULL, directory TEXT NOT NULL, name TEXT NOT NULL);
            """)
        try db.execute(sql: "INSERT INTO schemaInfo (version) VALUES (?)", arguments: [version])
    }

    /// Brings an opened database to the current schema: creates it when empty, rebuilds it
    /// when its version differs (keeping the preserved tables' rows). Call it outside a
    /// transaction: foreign keys must be switched off while tables are dropped, and that
    /// pragma is a no-op inside one.
    static func prepare(_ db: Database) throws -> PrepareOutcome {
        let found: Int? = try db.tableExists("schemaInfo")
            ? Int.fetchOne(db, sql: "SELECT version FROM schemaInfo") : nil
        if found == version { return .current }
        let isEmpty = try userTables(db).isEmpty
        if isEmpty {
            try db.inTransaction { try create(db); return .commit }
            return .created
        }
        try db.execute(sql: "PRAGMA foreign_keys = OFF")
        defer { try? db.execute(sql: "PRAGMA foreign_keys = ON") }
        try db.inTransaction { try rebuild(db); return .commit }
        return .rebuilt(from: found)
    }

    enum PrepareOutcome: Equatable {
        case created, current
        case rebuilt(from: Int?)
    }

    private static func userTables(_ db: Database) throws -> [String] {
        try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    }

    private static func rebuild(_ db: Database) throws {
        var saved: [String: [Row]] = [:]
        for table in preservedTables where try db.tableExists(table) {
            saved[table] = try Row.fetchAll(db, sql: "SELECT * FROM \(table)")
        }
        for table in try userTables(db) {
            // IF EXISTS: dropping the full-text table drops its shadow tables with it.
            try db.execute(sql: "DROP TABLE IF EXISTS \(table.quotedDatabaseIdentifier)")
        }
        try create(db)
        for (table, rows) in saved {
            let columns = Set(try db.columns(in: table).map(\.name))
            for row in rows {
                let kept = row.columnNames.filter(columns.contains)
                guard !kept.isEmpty else { continue }
                let names = kept.map(\.quotedDatabaseIdentifier).joined(separator: ", ")
                let marks = Array(repeating: "?", count: kept.count).joined(separator: ", ")
                let values = kept.map { row[$0] as DatabaseValue }
                try db.execute(
                    sql: "INSERT INTO \(table.quotedDatabaseIdentifier) (\(names)) VALUES (\(marks))",
                    arguments: StatementArguments(values))
            }
        }
        try upgradePreservedRows(db)
    }

    /// What older versions' preserved rows need to mean the same in this schema: version 3
    /// had no `size` column and called a queued message `pending` (now `waiting`); an item
    /// caught `sending` by the rebuild may have reached the server; before version 5 media
    /// had no `served` (completed and uncorrupted was what was listed) and no `verified`
    /// (left 0: the next listing checks those blobs against the server's hash).
    private static func upgradePreservedRows(_ db: Database) throws {
        try db.execute(sql: """
            UPDATE outbox SET size = length(content);
            UPDATE outbox SET state = 'waiting' WHERE state = 'pending';
            UPDATE outbox SET state = 'waiting', needsCheck = 1 WHERE state = 'sending';
            UPDATE media SET served = 1 WHERE uploadStatus = 'completed' AND corrupted = 0;
            """)
        try renameMediaNamedByAnOlderRule(db)
    }

    /// Chat names are made again with the rebuilt `chat` table, but media names are kept:
    /// one made before version 4's rule (line separators, bidi controls, the BOM: see
    /// `DirectoryNames.shown`) is named again, oldest first, as a fresh cache would name it.
    private static func renameMediaNamedByAnOlderRule(_ db: Database) throws {
        let rows = try Row.fetchAll(db, sql: """
            SELECT rowID, chatID, kind, serverID, originalName, createdAt, name FROM media ORDER BY createdAt, kind, serverID
            """)
        for row in rows where !DirectoryNames.isShownAsIs(row["name"]) {
            guard let kind = AttachmentKind(rawValue: row["kind"]) else { continue }
            let name = try ChatCache.uniqueMediaName(db, chatID: row["chatID"], originalName: row["originalName"],
                                                     createdAt: Date(timeIntervalSince1970: row["createdAt"]),
                                                     kind: kind, serverID: row["serverID"])
            try db.execute(sql: "UPDATE media SET name = ? WHERE rowID = ?", arguments: [name, row["rowID"]])
        }
    }
}
