/// `GET /requests/technician-views` (docs/api.md "Technicians: the queue views"): one page of
/// QueueItems with every view's count.
enum QueueJSON {
    static func page(_ page: ChatStore.QueuePage, query: TechnicianViewQuery) -> JSONValue {
        .object([
            ("data", .array(page.entries.map(item))),
            ("counts", .object(TechnicianView.allCases.map { ($0.countKey, .int(page.counts[$0] ?? 0)) })),
            ("filterCounts", .object([
                ("all", .int(page.all)), ("parents", .int(page.parents)), ("subtasks", .int(page.subtasks)),
            ])),
            ("total", .int(page.all)),
            ("page", .int(query.page)),
            ("perPage", .int(query.perPage)),
        ])
    }

    /// A QueueItem. `isBlocked`, `assignedToSectionId`, `assignedToTechnicianId` and
    /// `estimatedHours` exist on the deployed backend but are never set here (its
    /// `assignedToTechnicianId` stayed null after a take too: assignees have their own table).
    static func item(_ entry: ChatStore.QueueEntry) -> JSONValue {
        let ticket = entry.ticket
        let status = ticket.status
        let priority = ticket.priority
        let lastMessage: JSONValue = entry.lastMessage.map { message in
            .object([
                ("content", .string(MessageContentRules.excerpt(message.content))),
                ("senderName", .string(message.sender.map { $0.fullName ?? $0.username })),
                ("createdAt", .timestamp(message.createdAt)),
                ("sequenceNumber", .int(message.sequenceNumber)),
            ])
        } ?? .null
        return .object([
            ("id", .string(ticket.id)),
            ("subject", .string(ticket.title)),
            ("status", .object([
                ("id", .int(status.id)), ("name", .string(status.name)), ("color", .string(status.color)),
                ("countAsSolved", .bool(status.countAsSolved)),
            ])),
            ("requester", .object([
                ("id", .string(ticket.requesterId)), ("fullName", .string(entry.requester?.fullName)),
            ])),
            ("requested", .timestamp(ticket.createdAt)),
            ("dueDate", .timestamp(ticket.dueDate)),
            ("priority", .object([
                ("id", .int(priority.id)), ("name", .string(priority.name)),
                ("responseTimeMinutes", .int(priority.responseTimeMinutes)),
                ("resolutionTimeHours", .int(priority.resolutionTimeHours)),
            ])),
            ("lastMessage", lastMessage),
            ("businessUnit", named(entry.businessUnit.map { ($0.id, $0.name) })),
            ("tag", named(entry.tag.map { ($0.id, $0.name) })),
            ("category", named(entry.category.map { ($0.id, $0.name) })),
            ("subcategory", named(entry.subcategory.map { ($0.id, $0.name) })),
            ("requesterHasUnread", .bool(entry.requesterHasUnread)),
            ("technicianHasUnread", .bool(entry.technicianHasUnread)),
            ("parentTaskId", .string(ticket.parentTaskId)),
            ("isBlocked", .bool(false)),
            ("assignedToSectionId", .null),
            ("assignedToTechnicianId", .null),
            ("completedAt", .timestamp(ticket.completedAt)),
            ("estimatedHours", .null),
        ])
    }

    /// `{"id", "name"}`, or null.
    private static func named(_ value: (id: Int64, name: String)?) -> JSONValue {
        value.map { .object([("id", .int($0.id)), ("name", .string($0.name))]) } ?? .null
    }
}
