import Testing

@testable import ChatServer

struct TechnicianViewQueryTests {
    private func parse(_ parameters: [(String, String)]) throws(ValidationFailure) -> TechnicianViewQuery {
        try TechnicianViewQuery.parse { name in parameters.filter { $0.0 == name }.map(\.1) }
    }

    @Test func defaultsAndRepeatedBusinessUnits() throws {
        #expect(try parse([("view", "my_unsolved")]) == TechnicianViewQuery(view: .myUnsolved, page: 1, perPage: 20))
        let query = try parse([
            ("view", "new_today"), ("page", "3"), ("per_page", "100"), ("business_unit_ids", "2"),
            ("business_unit_ids", "-1"),
        ])
        #expect(query == TechnicianViewQuery(view: .newToday, page: 3, perPage: 100, businessUnitIDs: [2, -1]))
        #expect(query.offset == 200)
    }

    @Test func everyBadParameterIsReportedInOne422() {
        #expect {
            try parse([("view", "mine"), ("page", "0"), ("per_page", "101"), ("business_unit_ids", "x")])
        } throws: { error in
            let issues = (error as? ValidationFailure)?.issues ?? []
            return issues.map(\.type) == ["enum", "greater_than_equal", "less_than_equal", "int_parsing"]
                && issues[0].msg.hasPrefix("Input should be 'unassigned', 'all_unsolved'")
                && issues[0].msg.hasSuffix(" or 'all_solved'")
        }
        #expect(throws: ValidationFailure(issues: [.missing(location: ["query", "view"])])) { try parse([]) }
    }

    @Test func countKeysAreCamelCase() {
        #expect(TechnicianView.allCases.map(\.countKey) == [
            "unassigned", "allUnsolved", "myUnsolved", "recentlyUpdated", "recentlySolved", "allYourRequests",
            "urgentHighPriority", "pendingRequesterResponse", "pendingSubtask", "newToday", "inProgress",
            "allTickets", "allSolved",
        ])
    }
}
