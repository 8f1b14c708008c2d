import GRDB

/// A request as the help desk sees it: the whole `requests` row, help-desk columns included
/// (`ChatRecord` is the narrower chat view the message endpoints use).
struct TicketRecord: Codable, FetchableRecord, PersistableRecord, Sendable, Equatable {
    static let databaseTableName = "requests"
    static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    var id: String
    var title: String
    var requesterId: String
    var statusId: Int
    var priorityId: Int
    var businessUnitId: Int64?
    var categoryId: Int64?
    var subcategoryId: Int64?
    var tagId: Int64?
    /// Set on a subtask: the request it belongs to.
    var parentTaskId: String?
    var createdAt: ServerTimestamp
    /// Any change to the request, a new message included.
    var updatedAt: ServerTimestamp
    var dueDate: ServerTimestamp?
    /// When it was last solved or closed; nil while unsolved.
    var completedAt: ServerTimestamp?

    /// A new request, due as its priority says.
    init(
        id: String, title: String, requesterID: String, status: RequestStatus = .open,
        priority: RequestPriority = .medium, businessUnitID: Int64? = nil, createdAt: ServerTimestamp
    ) {
        self.id = id
        self.title = title
        self.requesterId = requesterID
        self.statusId = status.id
        self.priorityId = priority.id
        self.businessUnitId = businessUnitID
        self.parentTaskId = nil
        self.createdAt = createdAt
        self.updatedAt = createdAt
        self.dueDate = priority.dueDate(openedAt: createdAt)
        self.completedAt = status.countAsSolved ? createdAt : nil
    }

    var status: RequestStatus { .with(id: statusId) }
    var priority: RequestPriority { .with(id: priorityId) }

    /// Changes the status, keeping `completedAt` in step with "solved".
    mutating func setStatus(_ status: RequestStatus, at time: ServerTimestamp) {
        if status.countAsSolved {
            if !self.status.countAsSolved || completedAt == nil { completedAt = time }
        } else {
            completedAt = nil
        }
        statusId = status.id
        updatedAt = time
    }
}
