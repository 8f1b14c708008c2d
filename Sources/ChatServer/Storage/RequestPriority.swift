/// The help desk's request priorities (fixed, like `RequestStatus`), with their service
/// levels: a request is due `resolutionTimeHours` after it was opened.
struct RequestPriority: Sendable, Equatable {
    var id: Int
    var name: String
    var responseTimeMinutes: Int
    var resolutionTimeHours: Int

    static let low = RequestPriority(id: 1, name: "Low", responseTimeMinutes: 480, resolutionTimeHours: 72)
    static let medium = RequestPriority(id: 2, name: "Medium", responseTimeMinutes: 240, resolutionTimeHours: 24)
    static let high = RequestPriority(id: 3, name: "High", responseTimeMinutes: 60, resolutionTimeHours: 8)
    static let urgent = RequestPriority(id: 4, name: "Urgent", responseTimeMinutes: 15, resolutionTimeHours: 4)

    static let all: [RequestPriority] = [.low, .medium, .high, .urgent]

    /// Unknown ids read as Medium rather than failing a whole listing.
    static func with(id: Int) -> RequestPriority {
        all.first { $0.id == id } ?? .medium
    }

    static func named(_ name: String) -> RequestPriority? {
        all.first { $0.name.lowercased() == name.lowercased() }
    }

    /// When a request of this priority opened at `openedAt` is due.
    func dueDate(openedAt: ServerTimestamp) -> ServerTimestamp {
        ServerTimestamp(microseconds: openedAt.microseconds + Int64(resolutionTimeHours) * 3_600_000_000)
    }
}
