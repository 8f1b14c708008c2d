/// The request object that `POST /requests/{id}/take|pickup|assign|unassign` answer with.
enum RequestJSON {
    static func render(_ ticket: TicketRecord) -> JSONValue {
        .object([
            ("id", .string(ticket.id)),
            ("subject", .string(ticket.title)),
            ("statusId", .int(ticket.statusId)),
            ("priorityId", .int(ticket.priorityId)),
            ("requesterId", .string(ticket.requesterId)),
            ("businessUnitId", .int(ticket.businessUnitId)),
            ("categoryId", .int(ticket.categoryId)),
            ("subcategoryId", .int(ticket.subcategoryId)),
            ("tagId", .int(ticket.tagId)),
            ("parentTaskId", .string(ticket.parentTaskId)),
            ("assignedToTechnicianId", .null),
            ("createdAt", .timestamp(ticket.createdAt)),
            ("updatedAt", .timestamp(ticket.updatedAt)),
            ("dueDate", .timestamp(ticket.dueDate)),
            ("completedAt", .timestamp(ticket.completedAt)),
        ])
    }
}
