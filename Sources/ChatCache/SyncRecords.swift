import Foundation
import GRDB

/// A chat directory's identity for change notifications.
public struct ChatName: Sendable, Equatable, Hashable {
    public var rowID: Int64
    public var dirName: String
    public init(rowID: Int64, dirName: String) {
        self.rowID = rowID
        self.dirName = dirName
    }
}

/// One chat as the server's chat list describes it (no messages).
public struct ChatListEntry: Sendable, Equatable {
    public var id: String
    public var title: String
    public var status: String?
    /// The status counts as solved: the server takes no more messages in the chat.
    public var countAsSolved: Bool
    public var createdAt: Date
    public var lastMessageAt: Date?
    public var lastMessageSequence: Int
    public var unreadCount: Int
    /// What a technician triages by; nil for a chat seen only as a requester.
    public var triage: ChatTriage?

    public init(id: String, title: String, status: String?, countAsSolved: Bool = false, createdAt: Date,
                lastMessageAt: Date?, lastMessageSequence: Int, unreadCount: Int, triage: ChatTriage? = nil) {
        self.id = id
        self.title = title
        self.status = status
        self.countAsSolved = countAsSolved
        self.createdAt = createdAt
        self.lastMessageAt = lastMessageAt
        self.lastMessageSequence = lastMessageSequence
        self.unreadCount = unreadCount
        self.triage = triage
    }
}

/// A chat's fields from the technician queue views (`user.chatfs.*` on its directory).
public struct ChatTriage: Sendable, Equatable, Codable, FetchableRecord {
    public var priority: String?
    public var dueDate: Date?
    public var requester: String?
    public var businessUnit: String?
    public var category: String?
    public var technicianUnread: Bool?

    public static let databaseDateDecodingStrategy = DatabaseDateDecodingStrategy.timeIntervalSince1970

    public init(priority: String?, dueDate: Date?, requester: String?, businessUnit: String?, category: String?,
                technicianUnread: Bool?) {
        self.priority = priority
        self.dueDate = dueDate
        self.requester = requester
        self.businessUnit = businessUnit
        self.category = category
        self.technicianUnread = technicianUnread
    }
}

/// What applying a chat list changed, for the tree's invalidations.
public struct ChatListChanges: Sendable, Equatable {
    public var added: [ChatName] = []
    public var removed: [ChatName] = []
    /// Same chat, new directory name (its title changed).
    public var renamed: [(old: ChatName, new: ChatName)] = []
    /// Chats whose listed attributes changed (newest sequence, unread count, status...).
    public var updated: [Int64] = []

    public init() {}

    public var isEmpty: Bool { added.isEmpty && removed.isEmpty && renamed.isEmpty && updated.isEmpty }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.added == rhs.added && lhs.removed == rhs.removed && lhs.updated == rhs.updated
            && lhs.renamed.map(\.old) == rhs.renamed.map(\.old) && lhs.renamed.map(\.new) == rhs.renamed.map(\.new)
    }
}

/// A message as sync stores it (already unescaped; the cache knows nothing of the wire).
public struct IncomingMessage: Sendable, Equatable {
    public var id: String
    public var sequence: Int
    /// The sender's username, nil for system messages.
    public var senderUsername: String?
    public var senderFullName: String?
    public var createdAt: Date
    public var text: String
    public var clientTempID: String?

    public init(id: String, sequence: Int, senderUsername: String?, senderFullName: String?, createdAt: Date,
                text: String, clientTempID: String?) {
        self.id = id
        self.sequence = sequence
        self.senderUsername = senderUsername
        self.senderFullName = senderFullName
        self.createdAt = createdAt
        self.text = text
        self.clientTempID = clientTempID
    }
}

/// A chat's sync checkpoint: which part of its history the cache holds.
public struct ChatSyncState: Sendable, Equatable {
    /// The highest sequence stored; 0 when nothing is.
    public var newestHeld = 0
    /// The lowest sequence stored; 0 when nothing is. Backfill pages in below it.
    public var oldestHeld = 0
    /// True once everything below `oldestHeld` is known to be held (or not to exist).
    public var backfillDone = false
    /// Holes found (and filled, or found empty) since the last full sync.
    public var gapCount = 0
    /// When the first page arrived; nil = never synced (the first visit must wait for it).
    public var firstSyncedAt: Date?
    /// When the history was last fetched from scratch (the TTL counts from here).
    public var fullSyncAt: Date?
    public var lastSyncedAt: Date?
    public var lastVisitedAt: Date?
    public var lastError: String?

    public init() {}
}
