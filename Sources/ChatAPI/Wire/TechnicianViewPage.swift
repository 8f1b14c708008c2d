/// One page of a technician queue view with every view's size
/// (`GET /requests/technician-views`).
public struct TechnicianViewPage: Sendable, Equatable, Decodable {
    /// How the requested view splits into requests and subtasks.
    public struct FilterCounts: Sendable, Equatable, Decodable {
        public var all: Int?
        public var parents: Int?
        public var subtasks: Int?
    }

    public var items: [QueueItem]
    /// Every view's size, by view; a view the server did not count is missing.
    public var counts: [TechnicianView: Int]
    public var filterCounts: FilterCounts?
    /// Members of the requested view (all pages); `items.count` when the server left it out.
    public var total: Int
    public var page: Int?
    public var perPage: Int?

    private enum CodingKeys: String, CodingKey {
        case items = "data"
        case counts, filterCounts, total, page, perPage
    }

    private struct CountKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        items = try container.decodeIfPresent([QueueItem].self, forKey: .items) ?? []
        counts = [:]
        if let countsContainer = try? container.nestedContainer(keyedBy: CountKey.self, forKey: .counts) {
            for view in TechnicianView.allCases {
                if let count = try? countsContainer.decodeIfPresent(Int.self, forKey: CountKey(stringValue: view.countKey)) {
                    counts[view] = count
                }
            }
        }
        filterCounts = try? container.decodeIfPresent(FilterCounts.self, forKey: .filterCounts)
        total = (try? container.decodeIfPresent(Int.self, forKey: .total)) ?? items.count
        page = try? container.decodeIfPresent(Int.self, forKey: .page)
        perPage = try? container.decodeIfPresent(Int.self, forKey: .perPage)
    }
}
