import Foundation
import Testing
@testable import ChatAPI

@Suite struct TechnicianWireTests {
    let decoder = WireJSON.decoder()

    /// A views answer as docs/api.md shows it, with unknown fields, nulls, a string label id, a
    /// count the client does not know and one it misses.
    static let pageJSON = """
        {"data": [
           {"id": "a1b2c3d4-e5f6-4711-8899-aabbccddeeff", "subject": "Printer <jam> & co",
            "status": {"id": 1, "name": "Open", "color": "#2196F3", "countAsSolved": false},
            "requester": {"id": "5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9", "fullName": "Alice Example"},
            "requested": "2026-02-10T08:15:42.123456Z", "dueDate": "2026-02-11T08:15:42Z",
            "priority": {"id": 3, "name": "High", "responseTimeMinutes": 60, "resolutionTimeHours": 8},
            "lastMessage": {"content": "Any update?", "senderName": "Alice Example",
                            "createdAt": "2026-02-10T09:00:00Z", "sequenceNumber": 7},
            "businessUnit": {"id": 1, "name": "IT Helpdesk", "region": "EU"},
            "tag": null, "category": {"id": "c-7", "name": "Hardware"}, "subcategory": null,
            "requesterHasUnread": false, "technicianHasUnread": true, "parentTaskId": null,
            "isBlocked": false, "assignedToSectionId": null, "assignedToTechnicianId": null,
            "completedAt": null, "estimatedHours": 1.5, "slaBreached": true},
           {"id": "b1b2c3d4-e5f6-4711-8899-aabbccddeeff", "subject": "Bare", "lastMessage": null}
         ],
         "counts": {"unassigned": 4, "allUnsolved": 9, "myUnsolved": 2, "recentlyUpdated": 5,
                    "recentlySolved": 1, "allYourRequests": 3, "urgentHighPriority": 2,
                    "pendingRequesterResponse": 1, "pendingSubtask": 1, "newToday": 2, "inProgress": 3,
                    "allTickets": 12, "somethingNew": 7},
         "filterCounts": {"all": 4, "parents": 3, "subtasks": 1},
         "total": 4, "page": 1, "perPage": 2}
        """

    @Test func decodesTheDocumentedAnswerLeniently() throws {
        let page = try decoder.decode(TechnicianViewPage.self, from: Data(Self.pageJSON.utf8))
        #expect(page.total == 4 && page.page == 1 && page.perPage == 2)
        #expect(page.counts[.allTickets] == 12 && page.counts[.newToday] == 2)
        #expect(page.counts[.allSolved] == nil && page.counts.count == 12)
        #expect(page.filterCounts == .init(all: 4, parents: 3, subtasks: 1))
        let item = try #require(page.items.first)
        #expect(item.subject == "Printer <jam> & co")
        #expect(item.status?.countAsSolved == false && item.priority?.name == "High")
        #expect(item.lastMessage?.sequenceNumber == 7 && item.technicianHasUnread == true)
        #expect(item.businessUnit?.id == "1" && item.businessUnit?.name == "IT Helpdesk")
        #expect(item.category?.id == "c-7" && item.tag == nil && item.estimatedHours == 1.5)
        #expect(item.dueDate == WireDate.parse("2026-02-11T08:15:42Z"))
        let bare = try #require(page.items.last)
        #expect(bare.status == nil && bare.lastMessage == nil && bare.requested == nil)
    }

    @Test func aMissingTotalIsThePageSize() throws {
        let page = try decoder.decode(TechnicianViewPage.self, from: Data(#"{"data": [{"id": "x", "subject": "y"}]}"#.utf8))
        #expect(page.total == 1 && page.counts.isEmpty && page.page == nil)
    }

    @Test func countKeysAreTheViewNamesInCamelCase() {
        #expect(TechnicianView.pendingRequesterResponse.countKey == "pendingRequesterResponse")
        #expect(TechnicianView.unassigned.countKey == "unassigned")
        #expect(Set(TechnicianView.allCases.map(\.countKey)).count == 13)
    }

    @Test func alreadyAssignedIsAPermanentRefusal() {
        let refused = ErrorClassifier.error(for: HTTPResponse(
            status: 400, headers: [:], body: Data(#"{"detail": "Request is already assigned to a technician"}"#.utf8)))
        #expect(refused == .permanent(status: 400, detail: "Request is already assigned to a technician"))
        #expect(refused?.isAlreadyAssigned == true)
        #expect(APIError.permanent(status: 400, detail: "Cannot send message to a closed/solved task").isAlreadyAssigned == false)
        #expect(APIError.retryable(status: 500, detail: "already assigned").isAlreadyAssigned == false)
    }
}
