import Locking

/// What an injected fault does to a matching `/api/v1` request (`POST /_test/faults`).
enum FaultAction: Sendable, Equatable {
    /// Answer this status instead of handling the request, with this `Retry-After` value
    /// (verbatim: delay-seconds or an HTTP date, past or future) when given.
    case status(Int, retryAfter: String? = nil)
    /// Sleep, then handle normally (pushes a client past its timeout).
    case delay(seconds: Double)
    /// Handle normally (the change is committed), then close the connection unanswered.
    case dropAfterCommit
    /// Serve downloads with one byte flipped.
    case corrupt
    /// A 200 `application/json` answer whose body is not JSON (no handling).
    case malformedJSON
    /// Handle normally, then answer only the first half of the body (a complete HTTP
    /// answer whose `Content-Length` is the half's).
    case truncatedJSON
    /// A 200 HTML page instead of the answer, as a captive portal or proxy serves (no handling).
    case wrongContentType
    /// A 200 `application/json` answer of this many bytes, streamed (no handling).
    case hugeBody(bytes: Int)
    /// Handle normally, announce the whole body, send half of it, then reset the connection.
    case resetMidBody
    /// Handle normally, then send the body one byte every `secondsPerByte`.
    case trickle(secondsPerByte: Double)
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

    private let state = Locked(State())

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
