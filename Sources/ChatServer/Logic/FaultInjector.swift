import Synchronization

/// What an injected fault does to a matching `/api/v1` request (`POST /_test/faults`).
enum FaultAction: Sendable, Equatable {
    /// Answer this status instead of handling the request.
    case status(Int)
    /// Sleep, then handle normally (pushes a client past its timeout).
    case delay(seconds: Double)
    /// Handle normally (the change is committed), then close the connection unanswered.
    case dropAfterCommit
    /// Serve downloads with one byte flipped.
    case corrupt
}

struct FaultRule: Sendable, Equatable {
    var id: Int
    var pathContains: String
    /// nil matches every method.
    var method: String?
    var action: FaultAction
    /// Matches left before the rule expires; nil until cleared.
    var remaining: Int?
}

/// The ordered fault rules; the first rule matching a request applies and uses up one of
/// its `times`.
final class FaultInjector: Sendable {
    private struct State {
        var rules: [FaultRule] = []
        var nextID = 1
    }

    private let state = Mutex(State())

    init() {}

    /// Adds a rule at the end of the list; returns its id.
    func add(pathContains: String, method: String?, action: FaultAction, times: Int?) -> Int {
        state.withLock { state in
            let id = state.nextID
            state.nextID += 1
            state.rules.append(
                FaultRule(id: id, pathContains: pathContains, method: method?.uppercased(), action: action, remaining: times))
            return id
        }
    }

    /// Removes every rule; returns how many there were.
    func clear() -> Int {
        state.withLock { state in
            defer { state.rules.removeAll() }
            return state.rules.count
        }
    }

    /// The action of the first rule matching this request, consuming one use of it.
    func match(method: String, target: String) -> FaultAction? {
        state.withLock { state in
            guard let index = state.rules.firstIndex(where: { rule in
                target.contains(rule.pathContains) && (rule.method == nil || rule.method == method)
            }) else { return nil }
            let action = state.rules[index].action
            if let remaining = state.rules[index].remaining {
                if remaining <= 1 {
                    state.rules.remove(at: index)
                } else {
                    state.rules[index].remaining = remaining - 1
                }
            }
            return action
        }
    }
}
