/// A 422: every issue found in the request's parameters or body.
struct ValidationFailure: Error, Equatable {
    var issues: [ValidationIssue]
}

/// One entry of a 422 answer, shaped like FastAPI's (pydantic v2) validation errors:
/// `{"type": "int_parsing", "loc": ["query", "limit"], "msg": "...", "input": "abc"}`.
struct ValidationIssue: Error, Sendable, Equatable, Encodable {
    var type: String
    var loc: [String]
    var msg: String
    var input: String?

    init(type: String, loc: [String], msg: String, input: String?) {
        self.type = type
        self.loc = loc
        self.msg = msg
        self.input = input
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(type, forKey: .type)
        try container.encode(loc, forKey: .loc)
        try container.encode(msg, forKey: .msg)
        try container.encode(input, forKey: .input)
    }

    private enum CodingKeys: String, CodingKey { case type, loc, msg, input }

    static func integerParsing(location: [String], input: String) -> ValidationIssue {
        ValidationIssue(
            type: "int_parsing", loc: location,
            msg: "Input should be a valid integer, unable to parse string as an integer", input: input)
    }

    static func outOfBounds(
        location: [String], input: String, value: Int64, bounds: ClosedRange<Int64>
    ) -> ValidationIssue {
        value < bounds.lowerBound
            ? ValidationIssue(
                type: "greater_than_equal", loc: location,
                msg: "Input should be greater than or equal to \(bounds.lowerBound)", input: input)
            : ValidationIssue(
                type: "less_than_equal", loc: location,
                msg: "Input should be less than or equal to \(bounds.upperBound)", input: input)
    }

    static func uuidParsing(location: [String], input: String) -> ValidationIssue {
        ValidationIssue(type: "uuid_parsing", loc: location, msg: "Input should be a valid UUID", input: input)
    }

    /// A value outside a fixed set, as pydantic words it: `Input should be 'a', 'b' or 'c'`.
    static func enumeration(location: [String], input: String, allowed: [String]) -> ValidationIssue {
        let quoted = allowed.map { "'\($0)'" }
        let list = quoted.count > 1 ? quoted.dropLast().joined(separator: ", ") + " or " + quoted.last! : quoted.joined()
        return ValidationIssue(type: "enum", loc: location, msg: "Input should be \(list)", input: input)
    }

    static func missing(location: [String]) -> ValidationIssue {
        ValidationIssue(type: "missing", loc: location, msg: "Field required", input: nil)
    }

    static func stringTooShort(location: [String], input: String, minimum: Int) -> ValidationIssue {
        ValidationIssue(
            type: "string_too_short", loc: location,
            msg: "String should have at least \(minimum) character\(minimum == 1 ? "" : "s")", input: input)
    }

    static func stringTooLong(location: [String], input: String, maximum: Int) -> ValidationIssue {
        ValidationIssue(
            type: "string_too_long", loc: location,
            msg: "String should have at most \(maximum) characters", input: String(input.prefix(200)))
    }

    static func invalidBody(_ reason: String) -> ValidationIssue {
        ValidationIssue(type: "json_invalid", loc: ["body"], msg: reason, input: nil)
    }
}
