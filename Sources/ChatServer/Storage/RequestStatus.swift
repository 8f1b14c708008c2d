/// The help desk's request statuses (fixed, like the backend's seeded lookup table).
public struct RequestStatus: Sendable, Equatable {
    public var id: Int
    public var name: String
    public var color: String
    /// Solved and closed requests refuse new messages.
    public var countAsSolved: Bool

    public static let open = RequestStatus(id: 1, name: "Open", color: "#2196F3", countAsSolved: false)
    public static let inProgress = RequestStatus(id: 2, name: "In Progress", color: "#FF9800", countAsSolved: false)
    public static let waitingForUser = RequestStatus(
        id: 3, name: "Waiting for User", color: "#9C27B0", countAsSolved: false)
    public static let solved = RequestStatus(id: 4, name: "Solved", color: "#4CAF50", countAsSolved: true)
    public static let closed = RequestStatus(id: 5, name: "Closed", color: "#607D8B", countAsSolved: true)

    public static let all: [RequestStatus] = [.open, .inProgress, .waitingForUser, .solved, .closed]

    /// Unknown ids read as Open rather than failing a whole listing.
    public static func with(id: Int) -> RequestStatus {
        all.first { $0.id == id } ?? .open
    }
}
