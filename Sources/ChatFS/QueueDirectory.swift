import ChatAPI
import ChatCache

/// One technician queue view as a directory of `queues/` (docs/design.md "Technicians"): its
/// entries are symlinks to the canonical chat directories, so a recursive walk sees each
/// message once however many queues a chat is in.
struct QueueDirectory: Sendable, Equatable {
    /// The view's place in `TechnicianView.allCases`: part of the inode numbers.
    let index: Int
    let view: TechnicianView

    static let all = TechnicianView.allCases.enumerated().map { QueueDirectory(index: $0.offset, view: $0.element) }

    init(index: Int, view: TechnicianView) {
        self.index = index
        self.view = view
    }

    init?(index: Int) {
        guard Self.all.indices.contains(index) else { return nil }
        self = Self.all[index]
    }

    static func named(_ name: String) -> QueueDirectory? { all.first { $0.name == name } }

    var name: String { QueueNames.directoryName(forView: view.rawValue) }

    /// Moving an entry into one of these takes the ticket (`mv queues/unassigned/X queues/my-unsolved/`).
    var takesTickets: Bool { view == .myUnsolved || view == .allYourRequests }

    /// The symlink's target from inside `queues/<view>/`.
    static func linkTarget(to chat: ChatRecord) -> String { "../../" + chat.dirName }
}
