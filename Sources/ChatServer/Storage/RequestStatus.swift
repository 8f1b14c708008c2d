/// The help desk's request statuses (fixed, like the backend's seeded lookup table).
struct RequestStatus: Sendable, Equatable {
    var id: Int
    var name: String
    var color: String
    /// Solved and closed requests refuse new messages.
    var countAsSolved: Bool

    static let open = RequestStatus(id: 1, name: "Open", color: "#2196F3", countAsSolved: false)
    static let inProgress = RequestStatus(id: 2, name: "In Progress", color: "#FF9800", countAsSolved: false)
    static let waitingForUser = RequestStatus(
        id: 3, name: "Waiting for User", color: "#9C27B0", countAsSolved: false)
    static let solved = RequestStatus(id: 4, name: "Solved", color: "#4CAF50", countAsSolved: true)
    static let closed = RequestStatus(id: 5, name: "Closed", color: "#607D8B", countAsSolved: true)

    static let all: [RequestStatus] = [.open, .inProgress, .waitingForUser, .solved, .closed]

    static func named(_ name: String) -> RequestStatus? {
        all.first { $0.name.lowercased() == name.lowercased() }
    }

    /// Unknown ids read as Open rather than failing a whole listing.
    static func with(id: Int) -> RequestStatus {
        all.first { $0.id == id } ?? .open
    }
}
