import Foundation

/// One request in a technician queue view (`QueueItem`). Everything but `id` and
/// `subject` may be missing or null; unknown fields are ignored.
public struct QueueItem: Sendable, Equatable, Decodable {
    public struct Status: Sendable, Equatable, Decodable {
        public var id: Int?
        public var name: String?
        public var color: String?
        /// Solved and closed requests refuse new messages.
        public var countAsSolved: Bool?
    }

    public struct Requester: Sendable, Equatable, Decodable {
        public var id: String?
        public var fullName: String?
    }

    public struct Priority: Sendable, Equatable, Decodable {
        public var id: Int?
        public var name: String?
        public var responseTimeMinutes: Int?
        public var resolutionTimeHours: Int?
    }

    /// The newest message: what `lastMessageSequence` is in the chat list.
    public struct LastMessage: Sendable, Equatable, Decodable {
        /// A stored (sanitized) excerpt, not the whole message.
        public var content: String?
        public var senderName: String?
        public var createdAt: Date?
        public var sequenceNumber: Int?
    }

    /// A business unit, tag, category or subcategory.
    public struct Label: Sendable, Equatable, Decodable {
        /// The id as text (integers on the reference server; not relied upon).
        public var id: String?
        public var name: String?

        private enum CodingKeys: String, CodingKey { case id, name }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            if let number = try? container.decodeIfPresent(Int.self, forKey: .id) {
                id = String(number)
            } else {
                id = try? container.decodeIfPresent(String.self, forKey: .id)
            }
            name = try? container.decodeIfPresent(String.self, forKey: .name)
        }
    }

    public var id: String
    /// The request's title, raw text.
    public var subject: String
    public var status: Status?
    public var requester: Requester?
    /// When the request was opened.
    public var requested: Date?
    public var dueDate: Date?
    public var priority: Priority?
    public var lastMessage: LastMessage?
    public var businessUnit: Label?
    public var tag: Label?
    public var category: Label?
    public var subcategory: Label?
    public var requesterHasUnread: Bool?
    public var technicianHasUnread: Bool?
    /// Set on a subtask: the request it belongs to.
    public var parentTaskId: String?
    public var isBlocked: Bool?
    public var completedAt: Date?
    public var estimatedHours: Double?
    // `assignedToTechnicianId` is not decoded: it stays null after a take (assignees live
    // in a table of their own); membership of `myUnsolved`/`allYourRequests` says "mine".
}
