/// How one `GET /chat/messages/request/{id}` selects its page (docs/api.md "Messages of one chat").
enum MessageListingMode: Sendable, Equatable {
    /// Sequences above `since`, oldest first, at most `limit` (delta extension).
    case delta(since: Int64, limit: Int)
    /// `start ≤ sequence ≤ end` (delta extension, gap filling).
    case range(start: Int64, end: Int64)
    /// The newest `limit` messages below `before` (all of them when nil).
    case cursor(before: Int64?, limit: Int)
    /// Page `page` of `perPage` messages counted from the newest (legacy).
    case offset(page: Int64, perPage: Int)
}

/// Why parameters that are each valid still select no page.
enum MessageListingError: Error, Equatable {
    /// 400: the parameters select no single mode (combined modes, a one-ended range, start > end).
    case conflict(String)
    /// Plain-text 500: the backend's database refuses an integer that does not fit a 32-bit column.
    case outOfRange
}

/// The query parameters of a message listing, validated field by field (the 422 step; the
/// backend then checks 404/403, then the mode: 400, then the database: 500).
///
/// Integers are parsed like Python's: any length is accepted and saturated here, because the
/// backend only fails (500) when an oversized value reaches the database.
struct MessageListingQuery: Sendable, Equatable {
    var sinceSequence: Int64?
    var startSequence: Int64?
    var endSequence: Int64?
    var beforeSequence: Int64?
    var limit: Int64?
    var page: Int64?
    var perPage: Int64?

    static let defaultDeltaLimit = 100
    static let defaultPerPage = 50
    static let maximumPerPage: Int64 = 100

    /// Parses the parameters this generation knows; the others are ignored like any
    /// unknown parameter (the deployed backend has no delta or range mode).
    static func parse(
        _ parameter: (String) -> String?, generation: ServerGeneration
    ) throws(ValidationFailure) -> MessageListingQuery {
        var parser = QueryIntegerParser()
        func integer(_ name: String, in bounds: ClosedRange<Int64>? = nil) -> Int64? {
            parser.value(name, parameter(name), in: bounds)
        }
        var query = MessageListingQuery()
        if generation == .delta {
            query.sinceSequence = integer("since_sequence", in: 0...Int64.max)
            query.startSequence = integer("start_sequence", in: 0...Int64.max)
            query.endSequence = integer("end_sequence", in: 0...Int64.max)
        }
        query.beforeSequence = integer("before_sequence")
        query.limit = integer("limit", in: 1...Int64(generation.maximumPageLimit))
        query.page = integer("page", in: 1...Int64.max)
        query.perPage = integer("per_page", in: 1...maximumPerPage)
        guard parser.issues.isEmpty else { throw ValidationFailure(issues: parser.issues) }
        return query
    }

    /// Chooses the mode (the 400 step) and rejects sequences the database cannot hold (500).
    func mode() throws(MessageListingError) -> MessageListingMode {
        let mode: MessageListingMode
        let hasRange = startSequence != nil || endSequence != nil
        if let since = sinceSequence {
            if beforeSequence != nil {
                throw .conflict("since_sequence cannot be combined with before_sequence")
            }
            if hasRange {
                throw .conflict("since_sequence cannot be combined with start_sequence/end_sequence")
            }
            mode = .delta(since: since, limit: limit.map(Int.init) ?? Self.defaultDeltaLimit)
        } else if hasRange {
            guard let start = startSequence, let end = endSequence else {
                throw .conflict("start_sequence and end_sequence must be given together")
            }
            if beforeSequence != nil {
                throw .conflict("start_sequence/end_sequence cannot be combined with before_sequence")
            }
            if start > end {
                throw .conflict("start_sequence must not be greater than end_sequence")
            }
            mode = .range(start: start, end: end)
        } else if let limit {
            mode = .cursor(before: beforeSequence, limit: Int(limit))
        } else {
            // before_sequence without limit is silently ignored, as on the deployed backend.
            mode = .offset(page: page ?? 1, perPage: perPage.map(Int.init) ?? Self.defaultPerPage)
        }
        try Self.checkDatabaseRange(of: mode)
        return mode
    }

    private static func checkDatabaseRange(of mode: MessageListingMode) throws(MessageListingError) {
        let values: [Int64]
        switch mode {
        case .delta(let since, _): values = [since]
        case .range(let start, let end): values = [start, end]
        case .cursor(let before, _): values = before.map { [$0] } ?? []
        case .offset(let page, _): values = [page]
        }
        let int32Range = Int64(Int32.min)...Int64(Int32.max)
        if values.contains(where: { !int32Range.contains($0) }) { throw .outOfRange }
    }

    /// Python `int(text)` for query strings: optional surrounding white space and sign, then
    /// decimal digits. Values beyond Int64 saturate.
    static func parsePythonInteger(_ text: String) -> Int64? {
        var digits = Substring(text).drop(while: \.isWhitespace)
        while digits.last?.isWhitespace == true { digits = digits.dropLast() }
        var negative = false
        if let sign = digits.first, sign == "+" || sign == "-" {
            negative = sign == "-"
            digits = digits.dropFirst()
        }
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        var value: Int64 = 0
        for digit in digits.utf8 {
            let (shifted, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (next, overflow2) = shifted.addingReportingOverflow(Int64(digit - 48))
            if overflow1 || overflow2 { return negative ? .min : .max }
            value = next
        }
        return negative ? -value : value
    }
}
