import Testing

@testable import ChatServer

struct MessageListingQueryTests {
    private func mode(_ parameters: [String: String], _ generation: ServerGeneration = .delta) throws -> MessageListingMode {
        try MessageListingQuery.parse({ parameters[$0] }, generation: generation).mode()
    }

    private func error(_ parameters: [String: String], _ generation: ServerGeneration = .delta) -> MessageListingError? {
        do {
            _ = try mode(parameters, generation)
            return nil
        } catch {
            return error as? MessageListingError
        }
    }

    private func issues(_ parameters: [String: String], _ generation: ServerGeneration = .delta) -> [ValidationIssue] {
        do throws(ValidationFailure) {
            _ = try MessageListingQuery.parse({ parameters[$0] }, generation: generation)
            return []
        } catch {
            return error.issues
        }
    }

    @Test func noParametersIsTheNewestOffsetPage() throws {
        #expect(try mode([:]) == .offset(page: 1, perPage: 50))
        #expect(try mode(["page": "3", "per_page": "20"]) == .offset(page: 3, perPage: 20))
    }

    @Test func deltaModeDefaultsItsLimitTo100() throws {
        #expect(try mode(["since_sequence": "42"]) == .delta(since: 42, limit: 100))
        #expect(try mode(["since_sequence": "0", "limit": "500"]) == .delta(since: 0, limit: 500))
    }

    @Test func rangeAndCursorModes() throws {
        #expect(try mode(["start_sequence": "5", "end_sequence": "9"]) == .range(start: 5, end: 9))
        #expect(try mode(["limit": "20"]) == .cursor(before: nil, limit: 20))
        #expect(try mode(["limit": "20", "before_sequence": "300"]) == .cursor(before: 300, limit: 20))
    }

    @Test func beforeSequenceWithoutLimitIsIgnored() throws {
        #expect(try mode(["before_sequence": "300"]) == .offset(page: 1, perPage: 50))
        #expect(try mode(["before_sequence": "3000000000"], .legacy) == .offset(page: 1, perPage: 50))
    }

    @Test func combinedModesAreRefused() {
        for parameters in [
            ["since_sequence": "1", "before_sequence": "5"],
            ["since_sequence": "1", "start_sequence": "1", "end_sequence": "5"],
            ["start_sequence": "1", "end_sequence": "5", "before_sequence": "9"],
            ["start_sequence": "1"],
            ["end_sequence": "5"],
            ["start_sequence": "7", "end_sequence": "5"],
        ] {
            guard case .conflict = error(parameters) else {
                Issue.record("expected a 400 conflict for \(parameters)")
                continue
            }
        }
    }

    @Test func malformedAndOutOfBoundsValuesAre422WithEveryIssue() {
        let found = issues(["limit": "abc", "since_sequence": "-1", "per_page": "101"])
        #expect(Set(found.map(\.type)) == ["int_parsing", "greater_than_equal", "less_than_equal"])
        #expect(Set(found.map { $0.loc.last! }) == ["limit", "since_sequence", "per_page"])
    }

    @Test func limitBoundsDependOnTheGeneration() throws {
        #expect(try mode(["limit": "500"]) == .cursor(before: nil, limit: 500))
        #expect(try mode(["limit": "200"], .legacy) == .cursor(before: nil, limit: 200))
        #expect(issues(["limit": "501"]).map(\.type) == ["less_than_equal"])
        #expect(issues(["limit": "201"], .legacy).map(\.type) == ["less_than_equal"])
        #expect(issues(["limit": "0"]).map(\.type) == ["greater_than_equal"])
    }

    @Test func sequencesBeyondInt32AreAPlainServerError() {
        #expect(error(["limit": "5", "before_sequence": "3000000000"]) == .outOfRange)
        #expect(error(["since_sequence": "99999999999999999999999"]) == .outOfRange)
        #expect(error(["start_sequence": "1", "end_sequence": "2147483648"]) == .outOfRange)
    }

    @Test func legacyIgnoresDeltaAndRangeParameters() throws {
        #expect(try mode(["since_sequence": "abc", "start_sequence": "9"], .legacy) == .offset(page: 1, perPage: 50))
        #expect(try mode(["since_sequence": "1", "before_sequence": "5", "limit": "2"], .legacy) == .cursor(before: 5, limit: 2))
    }

    @Test func integersParseLikePython() {
        #expect(MessageListingQuery.parsePythonInteger(" 42 ") == 42)
        #expect(MessageListingQuery.parsePythonInteger("+7") == 7)
        #expect(MessageListingQuery.parsePythonInteger("-3") == -3)
        #expect(MessageListingQuery.parsePythonInteger("1e3") == nil)
        #expect(MessageListingQuery.parsePythonInteger("") == nil)
        #expect(MessageListingQuery.parsePythonInteger("١٢") == nil)
        #expect(MessageListingQuery.parsePythonInteger("99999999999999999999") == Int64.max)
    }
}
