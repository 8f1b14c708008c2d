import GRDB

/// How a demo request is filed on the help desk.
struct DemoDesk {
    /// nil: no business unit (only super admins see it).
    var unit: String? = DemoDeskLabels.itHelpdesk
    var priority: RequestPriority = .medium
    var assignee: DemoSender?
    /// `Category/Subcategory`, or a category alone.
    var category: String?
    var tag: String?
}

/// The demo's business units and labels, and their ids once stored.
struct DemoDeskLabels {
    static let itHelpdesk = "IT Helpdesk"
    static let facilities = "Facilities"
    static let catalog: [(category: String, subcategories: [String])] = [
        ("Hardware", ["Laptop", "Printer", "Monitor", "Phone"]),
        ("Software", ["Email", "VPN", "Install"]),
        ("Access", ["Password", "Permissions", "Badge"]),
        ("Facilities", ["Climate", "Furniture"]),
    ]
    static let tagNames = ["VIP", "Onboarding", "Recurring"]

    var units: [String: Int64] = [:]
    /// Keyed `Category` and `Category/Subcategory`.
    var categories: [String: Int64] = [:]
    var tags: [String: Int64] = [:]
}

/// A request of the help desk's last days, placed relative to the seeding time so that
/// every queue view has members whenever the demo is seeded.
struct DemoRecentRequest {
    enum Opened {
        /// Today (UTC): never before midnight, however early the demo is seeded.
        case minutesAgo(Int64)
        case daysAgo(Int64)
    }

    var title: String
    var requester: DemoSender
    var status: RequestStatus
    var opened: Opened
    /// The conversation runs from the opening until this many days before now.
    var quietDays: Int64 = 0
    var desk: DemoDesk
    /// The title of the request (listed earlier) this is a subtask of.
    var parent: String?
    var script: [(DemoSender, String)]
    /// The assignee has read everything (no "technicianHasUnread").
    var readByAssignee = false
}

/// The help desk of `--demo`: IT Helpdesk (bob; erin, its supervisor) and Facilities (no
/// technician: only sam, the super admin, sees its requests). Alice's and carol's chats
/// are IT Helpdesk requests; the recent requests below fill the queues that need "now".
extension DemoBuilder {
    static let day: Int64 = 86_400_000_000

    mutating func addHelpDeskOrganisation() throws {
        let created = ServerTimestamp(microseconds: epoch.microseconds - 40 * Self.day)
        let accounts: [(DemoSender, String, String, String, isTechnician: Bool, isSuperAdmin: Bool)] = [
            (.erin, "erin", "Erin Support", "IT Support Supervisor", true, false),
            (.sam, "sam", "Sam Admin", "Head of IT", true, true),
            (.frank, "frank", "Frank Miller", "Warehouse Lead", false, false),
            (.grace, "grace", "Grace Lee", "HR Specialist", false, false),
        ]
        for (sender, username, fullName, title, isTechnician, isSuperAdmin) in accounts {
            let user = UserRecord(
                id: helpDeskRandom.uuid(), username: username, email: "\(username)@example.com", fullName: fullName,
                title: title, isActive: true, isTechnician: isTechnician, isSuperAdmin: isSuperAdmin, createdAt: created)
            userIDs[sender] = user.id
            try ChatStore.insertUser(db, user)
        }
        for (index, name) in [DemoDeskLabels.itHelpdesk, DemoDeskLabels.facilities].enumerated() {
            let unit = BusinessUnitRecord(id: Int64(index + 1), name: name)
            try unit.insert(db)
            desk.units[name] = unit.id
        }
        let members: [(DemoSender, isSupervisor: Bool)] = [(.bob, false), (.erin, true)]
        for (member, isSupervisor) in members {
            try BusinessUnitMemberRecord(
                businessUnitId: try labelID(DemoDeskLabels.itHelpdesk, in: desk.units), userId: userIDs[member]!,
                isSupervisor: isSupervisor
            ).insert(db)
        }
        var nextID: Int64 = 1
        for (category, subcategories) in DemoDeskLabels.catalog {
            let parent = CategoryRecord(id: nextID, name: category, parentId: nil)
            try parent.insert(db)
            desk.categories[category] = parent.id
            nextID += 1
            for subcategory in subcategories {
                try CategoryRecord(id: nextID, name: subcategory, parentId: parent.id).insert(db)
                desk.categories["\(category)/\(subcategory)"] = nextID
                nextID += 1
            }
        }
        for (index, name) in DemoDeskLabels.tagNames.enumerated() {
            try TagRecord(id: Int64(index + 1), name: name).insert(db)
            desk.tags[name] = Int64(index + 1)
        }
    }

    /// A new request of `requester` filed as `deskFields` says.
    func deskTicket(
        id: String, title: String, requester: DemoSender, status: RequestStatus, desk deskFields: DemoDesk,
        createdAt: ServerTimestamp
    ) throws -> TicketRecord {
        var ticket = TicketRecord(
            id: id, title: title, requesterID: userIDs[requester]!, status: status, priority: deskFields.priority,
            businessUnitID: try deskFields.unit.map { try labelID($0, in: desk.units) }, createdAt: createdAt)
        if let category = deskFields.category {
            let parts = category.split(separator: "/").map(String.init)
            ticket.categoryId = try labelID(parts[0], in: desk.categories)
            ticket.subcategoryId = parts.count > 1 ? try labelID(category, in: desk.categories) : nil
        }
        ticket.tagId = try deskFields.tag.map { try labelID($0, in: desk.tags) }
        return ticket
    }

    /// Dates the request by its last message (solved ones were solved then) and assigns it.
    func finishTicket(_ ticket: inout TicketRecord, lastActivity: ServerTimestamp, assignee: DemoSender?) throws {
        ticket.updatedAt = lastActivity
        if ticket.status.countAsSolved { ticket.completedAt = lastActivity }
        try ticket.update(db)
        if let assignee {
            try RequestAssigneeRecord(requestId: ticket.id, technicianId: userIDs[assignee]!, assignedAt: ticket.createdAt)
                .insert(db)
        }
    }

    mutating func addRecentHelpDeskRequests() throws {
        let todayStart = now.microseconds - ((now.microseconds % Self.day) + Self.day) % Self.day
        var idsByTitle: [String: String] = [:]
        for request in Self.recentRequests {
            let created: Int64 =
                switch request.opened {
                case .minutesAgo(let minutes): max(now.microseconds - minutes * 60_000_000, todayStart)
                case .daysAgo(let days): now.microseconds - days * Self.day
                }
            let end = max(created, now.microseconds - request.quietDays * Self.day)
            var ticket = try deskTicket(
                id: random.uuid(), title: request.title, requester: request.requester, status: request.status,
                desk: request.desk, createdAt: ServerTimestamp(microseconds: created))
            ticket.parentTaskId = request.parent.flatMap { idsByTitle[$0] }
            try ChatStore.createChat(db, ticket, titleMessageID: random.uuid())
            idsByTitle[request.title] = ticket.id
            // The script is spread evenly over the conversation's time.
            var last = ServerTimestamp(microseconds: created)
            for (index, (sender, content)) in request.script.enumerated() {
                last = ServerTimestamp(
                    microseconds: created + (end - created) * Int64(index + 1) / Int64(request.script.count))
                try addMessage(chatID: ticket.id, sender: sender, content: content, at: last)
            }
            try finishTicket(&ticket, lastActivity: last, assignee: request.desk.assignee)
            if request.readByAssignee, let assignee = request.desk.assignee {
                _ = try ChatStore.markRead(db, chatID: ticket.id, userID: userIDs[assignee]!)
            }
        }
    }

    private func labelID(_ name: String, in ids: [String: Int64]) throws -> Int64 {
        guard let id = ids[name] else { throw DatabaseError(message: "demo data names an unknown label: \(name)") }
        return id
    }

    static let recentRequests: [DemoRecentRequest] = [
        DemoRecentRequest(
            title: "Laptop won't boot after the BIOS update", requester: .frank, status: .open,
            opened: .minutesAgo(25), desk: DemoDesk(priority: .urgent, category: "Hardware/Laptop"),
            script: [
                (.frank, "Black screen with a blinking cursor since this morning's update."),
                (.frank, "I have a customer demo at 15:00, please help!"),
            ]),
        DemoRecentRequest(
            title: "Cannot print payslips", requester: .grace, status: .open, opened: .minutesAgo(140),
            desk: DemoDesk(priority: .high, assignee: .erin, category: "Hardware/Printer"),
            script: [
                (.grace, "The HR printer rejects the payslip batch with \"access denied\"."),
                (.erin, "Looking into it: which printer is it?"),
            ]),
        DemoRecentRequest(
            title: "New hire onboarding: Jordan Smith", requester: .grace, status: .inProgress, opened: .daysAgo(2),
            desk: DemoDesk(priority: .high, assignee: .bob, category: "Access/Permissions", tag: "Onboarding"),
            script: [
                (.grace, "Jordan starts on Monday in Finance: email, laptop and badge please."),
                (.system, "Technician Bob Tech was assigned|تم تعيين الفني Bob Tech"),
                (.bob, "I've split this into subtasks; the email account is done."),
                (.grace, "Great, and the laptop?"),
            ]),
        DemoRecentRequest(
            title: "Onboarding: email account for Jordan Smith", requester: .grace, status: .solved,
            opened: .daysAgo(2), quietDays: 1,
            desk: DemoDesk(assignee: .bob, category: "Software/Email", tag: "Onboarding"),
            parent: "New hire onboarding: Jordan Smith",
            script: [
                (.bob, "Mailbox jordan.smith@example.com created."),
                (.system, "Request solved|تم حل الطلب"),
            ],
            readByAssignee: true),
        DemoRecentRequest(
            title: "Onboarding: laptop for Jordan Smith", requester: .grace, status: .open, opened: .daysAgo(2),
            desk: DemoDesk(category: "Hardware/Laptop", tag: "Onboarding"),
            parent: "New hire onboarding: Jordan Smith",
            script: [(.grace, "A 14-inch model would be perfect.")]),
        DemoRecentRequest(
            title: "Scanner sends empty PDFs", requester: .frank, status: .waitingForUser, opened: .daysAgo(3),
            desk: DemoDesk(assignee: .bob, category: "Hardware/Printer"),
            script: [
                (.frank, "Every scan to email arrives as an empty PDF."),
                (.bob, "Could you scan at 300 dpi and tell me whether that changes anything?"),
                (.system, "Waiting for your reply|في انتظار ردك"),
            ],
            readByAssignee: true),
        DemoRecentRequest(
            title: "Forklift tablet lost Wi-Fi", requester: .frank, status: .solved, opened: .daysAgo(4),
            quietDays: 1, desk: DemoDesk(priority: .low, assignee: .erin, tag: "Recurring"),
            script: [
                (.frank, "The tablet on forklift 3 cannot join the warehouse Wi-Fi."),
                (.erin, "Re-enrolled its certificate, it's back online."),
                (.system, "Request solved|تم حل الطلب"),
            ]),
        DemoRecentRequest(
            title: "Second monitor for the help desk", requester: .bob, status: .open, opened: .daysAgo(5),
            desk: DemoDesk(priority: .low, assignee: .erin, category: "Hardware/Monitor"),
            script: [
                (.bob, "Triage goes faster with two screens: could I get a second 24-inch monitor?"),
                (.erin, "Approved, it's on order."),
            ]),
        DemoRecentRequest(
            title: "VPN access for a contractor", requester: .grace, status: .closed, opened: .daysAgo(14),
            quietDays: 10, desk: DemoDesk(assignee: .bob, category: "Software/VPN"),
            script: [
                (.grace, "Please give our auditor VPN access until the end of the month."),
                (.bob, "Done, the account expires on the 30th."),
                (.system, "Request closed|تم إغلاق الطلب"),
            ]),
        DemoRecentRequest(
            title: "Air conditioning too cold in room 3", requester: .frank, status: .open, opened: .daysAgo(1),
            desk: DemoDesk(unit: DemoDeskLabels.facilities, category: "Facilities/Climate"),
            script: [(.frank, "It's 17 °C in room 3 all day.")]),
    ]
}
