/// The query of `GET /requests/technician-views`, validated field by field (the 422 step).
struct TechnicianViewQuery: Sendable, Equatable {
    var view: TechnicianView
    var page: Int64 = 1
    var perPage = defaultPerPage
    /// `business_unit_ids` (repeatable): only requests of these units, `noBusinessUnit`
    /// standing for requests without one; nil when absent (no filter). Counts follow it too.
    var businessUnitIDs: [Int64]?

    static let defaultPerPage = 20
    static let maximumPerPage: Int64 = 100
    /// The `business_unit_ids` value that selects requests filed under no business unit.
    static let noBusinessUnit: Int64 = -1

    /// - Parameter values: every value of a query parameter, in order (none when absent).
    static func parse(_ values: (String) -> [String]) throws(ValidationFailure) -> TechnicianViewQuery {
        var parser = QueryIntegerParser()
        var issues: [ValidationIssue] = []
        var view: TechnicianView?
        if let text = values("view").first {
            view = TechnicianView(rawValue: text)
            if view == nil {
                issues.append(
                    .enumeration(
                        location: ["query", "view"], input: text, allowed: TechnicianView.allCases.map(\.rawValue)))
            }
        } else {
            issues.append(.missing(location: ["query", "view"]))
        }
        let page = parser.value("page", values("page").first, in: 1...Int64.max)
        let perPage = parser.value("per_page", values("per_page").first, in: 1...maximumPerPage)
        let unitTexts = values("business_unit_ids")
        let units = unitTexts.compactMap { parser.value("business_unit_ids", $0) }
        issues += parser.issues
        guard issues.isEmpty, let view else { throw ValidationFailure(issues: issues) }
        return TechnicianViewQuery(
            view: view, page: page ?? 1, perPage: perPage.map(Int.init) ?? defaultPerPage,
            businessUnitIDs: unitTexts.isEmpty ? nil : units)
    }

    /// Rows to skip for this page (saturating: an absurd page is just empty).
    var offset: Int64 {
        let (offset, overflow) = (page - 1).multipliedReportingOverflow(by: Int64(perPage))
        return overflow ? Int64.max : offset
    }
}
