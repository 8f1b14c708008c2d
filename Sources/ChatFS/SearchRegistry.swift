import Locking

/// The queries looked up in `.chatfs/search`, each under a small id that its directory's
/// and results' inode numbers carry (`InodeNumber.searchQueryDirectory`), so that no table
/// per result is kept. Bounded: past `capacity` queries the least recently looked up is
/// dropped, and inode numbers carrying its id answer ENOENT. Ids count up to
/// `InodeNumber.maximumQueryID` and then start over, skipping ids still held.
final class SearchRegistry: Sendable {
    static let capacity = 256

    private struct State {
        var idByText: [String: Int] = [:]
        var textByID: [Int: String] = [:]
        /// Ids, least recently looked up first.
        var recency: [Int] = []
        var lastID = 0
        /// Queries whose error was logged (cleared when it grows past `capacity`).
        var reportedInvalid: Set<String> = []
    }

    private let state = Locked(State())

    /// The id of `text`, registered now if it was not.
    func register(_ text: String) -> Int {
        state.withLock { state in
            if let id = state.idByText[text] {
                state.recency.removeAll { $0 == id }
                state.recency.append(id)
                return id
            }
            if state.recency.count >= Self.capacity {
                let dropped = state.recency.removeFirst()
                if let text = state.textByID.removeValue(forKey: dropped) { state.idByText[text] = nil }
            }
            var id = state.lastID
            repeat { id = id % InodeNumber.maximumQueryID + 1 } while state.textByID[id] != nil
            state.lastID = id
            state.idByText[text] = id
            state.textByID[id] = text
            state.recency.append(id)
            return id
        }
    }

    /// The query registered under `id`; nil once it has been dropped.
    func text(ofQueryID id: Int) -> String? {
        state.withLock { $0.textByID[id] }
    }

    /// Whether this invalid query is met for the first time (its error is logged once).
    func isFirstReportOfInvalid(_ text: String) -> Bool {
        state.withLock { state in
            if state.reportedInvalid.count >= Self.capacity { state.reportedInvalid = [] }
            return state.reportedInvalid.insert(text).inserted
        }
    }
}
