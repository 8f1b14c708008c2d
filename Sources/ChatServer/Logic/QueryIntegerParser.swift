/// Reads integer query parameters like FastAPI (Python's `int`, then the declared bounds),
/// collecting every problem so one 422 reports them all.
struct QueryIntegerParser {
    private(set) var issues: [ValidationIssue] = []

    /// The value of `text` (the parameter `name`), or nil when absent or invalid (then an
    /// issue is recorded).
    mutating func value(_ name: String, _ text: String?, in bounds: ClosedRange<Int64>? = nil) -> Int64? {
        guard let text else { return nil }
        guard let value = MessageListingQuery.parsePythonInteger(text) else {
            issues.append(.integerParsing(location: ["query", name], input: text))
            return nil
        }
        if let bounds, !bounds.contains(value) {
            issues.append(.outOfBounds(location: ["query", name], input: text, value: value, bounds: bounds))
            return nil
        }
        return value
    }
}
