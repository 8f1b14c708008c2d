import Foundation
import GRDB

/// The `--demo` data set: deterministic (fixed seed), realistic, and full of the cases a
/// client must survive (see the server brief): alice's 23 chats including `Big history`
/// (10,000 messages), awkward titles, tricky content, one solved chat, media in several
/// states; carol's private chats; an inactive user; and a working help desk around them
/// (see `DemoData+HelpDesk.swift`).
enum DemoData {
    static let randomSeed: UInt64 = 0x00C4_A7F5_2026
    /// The help desk's users draw from their own generator, so the ids of everything
    /// seeded before the help desk existed stay what they were.
    static let helpDeskRandomSeed: UInt64 = 0x00DE_5C00_2026
    static let bigHistoryMessageCount = 10_000

    /// Seeds everything in one transaction (statements are cached, so the 10,000-message
    /// chat is a few hundred milliseconds even in a debug build). The help desk's recent
    /// requests are placed relative to `now`, so every queue view has members.
    static func seed(into store: ChatStore, now: ServerTimestamp = .now()) async throws {
        try await store.database.write { db in
            var builder = DemoBuilder(
                db: db, random: SeededGenerator(seed: randomSeed),
                helpDeskRandom: SeededGenerator(seed: helpDeskRandomSeed), now: now)
            try builder.build()
        }
    }
}

enum DemoSender: CaseIterable {
    case alice, bob, carol, system
    /// The help desk: a second technician (supervisor of IT Helpdesk), a super admin, and
    /// two more requesters.
    case erin, sam, frank, grace
}

struct DemoChat {
    var title: String
    var status: RequestStatus
    var messageCount: Int
    /// Said first, right after the title.
    var script: [(DemoSender, String)] = []
    var media: [DemoAttachment] = []
    var desk = DemoDesk()
}

struct DemoAttachment {
    enum Kind { case screenshot, chatFile }
    var kind: Kind
    var name: String
    var mimeType: String
    var bytes: [UInt8]
    var uploadStatus: UploadStatus = .completed
    var isCorrupted = false
}

struct DemoBuilder {
    let db: Database
    var random: SeededGenerator
    var helpDeskRandom: SeededGenerator
    let now: ServerTimestamp
    var userIDs: [DemoSender: String] = [:]
    var desk = DemoDeskLabels()

    /// 2026-01-05T08:00:00Z: every demo time lies between this and autumn 2026 (but the
    /// help desk's recent requests, which follow `now`).
    let epoch = ServerTimestamp(microseconds: 1_767_600_000_000_000)

    init(db: Database, random: SeededGenerator, helpDeskRandom: SeededGenerator, now: ServerTimestamp) {
        self.db = db
        self.random = random
        self.helpDeskRandom = helpDeskRandom
        self.now = now
    }

    mutating func build() throws {
        try addUsers()
        try addHelpDeskOrganisation()
        for (index, chat) in aliceChats().enumerated() {
            try addChat(chat, requester: .alice, index: index)
        }
        for (index, chat) in carolChats().enumerated() {
            try addChat(chat, requester: .carol, index: index * 7 + 3)
        }
        try addRecentHelpDeskRequests()
    }

    // MARK: Users

    mutating func addUsers() throws {
        let created = ServerTimestamp(microseconds: epoch.microseconds - 40 * 86_400_000_000)
        let accounts: [(DemoSender?, String, String, String, Bool, Bool)] = [
            (.alice, "alice", "Alice Example", "Accountant", true, false),
            (.bob, "bob", "Bob Tech", "IT Support Technician", true, true),
            (.carol, "carol", "Carol Jones", "Sales Manager", true, false),
            (nil, "dave", "Dave Former", "Former Employee", false, false),
        ]
        for (sender, username, fullName, title, isActive, isTechnician) in accounts {
            let user = UserRecord(
                id: random.uuid(), username: username, email: "\(username)@example.com", fullName: fullName,
                title: title, isActive: isActive, isTechnician: isTechnician, createdAt: created)
            if let sender { userIDs[sender] = user.id }
            try ChatStore.insertUser(db, user)
        }
    }

    // MARK: Chats and messages

    mutating func addChat(_ chat: DemoChat, requester: DemoSender, index: Int) throws {
        let dayOffset = Int64(index) * 12 + Int64.random(in: 0...3, using: &random)
        var time = ServerTimestamp(
            microseconds: epoch.microseconds + dayOffset * 86_400_000_000
                + Int64.random(in: 0..<36_000, using: &random) * 1_000_000
                + (index.isMultiple(of: 2) ? 0 : Int64.random(in: 1..<1_000_000, using: &random)))
        let chatID = random.uuid()
        var ticket = try deskTicket(
            id: chatID, title: chat.title, requester: requester, status: chat.status, desk: chat.desk, createdAt: time)
        try ChatStore.createChat(db, ticket, titleMessageID: random.uuid())
        let isBig = chat.messageCount > 1000
        var sequence = 1
        func nextTime(_ generator: inout SeededGenerator) -> ServerTimestamp {
            sequence += 1
            let seconds = isBig ? Int64.random(in: 60...3000, using: &generator) : Int64.random(in: 180...21_600, using: &generator)
            // Every fifth message has a whole-second time (rendered without a fraction).
            let fraction = sequence.isMultiple(of: 5) ? 0 : Int64.random(in: 1..<1_000_000, using: &generator)
            time = ServerTimestamp(microseconds: (time.microseconds / 1_000_000 + seconds) * 1_000_000 + fraction)
            return time
        }
        for (sender, content) in chat.script {
            let when = nextTime(&random)
            try addMessage(chatID: chatID, sender: sender, content: content, at: when)
        }
        let fillerCount = chat.messageCount - 1 - chat.script.count - chat.media.count
        for number in 0..<max(0, fillerCount) {
            let (sender, content) = isBig
                ? bigHistoryLine(number: number + chat.script.count + 2, requester: requester)
                : fillerLine(requester: requester)
            let when = nextTime(&random)
            try addMessage(chatID: chatID, sender: sender, content: content, at: when)
        }
        for attachment in chat.media {
            let when = nextTime(&random)
            try addAttachment(attachment, chatID: chatID, sender: requester, at: when)
        }
        try finishTicket(&ticket, lastActivity: time, assignee: chat.desk.assignee)
    }

    mutating func addMessage(
        chatID: String, sender: DemoSender, content: String, at time: ServerTimestamp,
        attachment: MessageAttachment = MessageAttachment()
    ) throws {
        try ChatStore.insertMessage(
            db, id: random.uuid(), requestID: chatID, senderID: userIDs[sender],
            content: MessageSanitizer.sanitize(content), attachment: attachment, createdAt: time,
            updatedAt: ServerTimestamp(microseconds: time.microseconds + Int64.random(in: 0...40, using: &random)))
    }

    /// Stores the file and the message that announces it, as the product's apps do.
    mutating func addAttachment(
        _ attachment: DemoAttachment, chatID: String, sender: DemoSender, at time: ServerTimestamp
    ) throws {
        switch attachment.kind {
        case .screenshot:
            let filename = "\(random.hex8())_\(attachment.name)_\(random.hex8()).jpg"
            _ = try ChatStore.insertMedia(
                db,
                ChatStore.NewMedia(
                    kind: .screenshot, requestID: chatID, originalFilename: filename,
                    mimeType: attachment.mimeType, uploadStatus: attachment.uploadStatus,
                    isCorrupted: attachment.isCorrupted, bytes: attachment.bytes, createdAt: time))
            try addMessage(
                chatID: chatID, sender: sender, content: "[Screenshot]", at: time,
                attachment: MessageAttachment(isScreenshot: true, screenshotFileName: filename))
        case .chatFile:
            let stored = try ChatStore.insertMedia(
                db,
                ChatStore.NewMedia(
                    kind: .chatFile, requestID: chatID, originalFilename: attachment.name,
                    storedFilename: "\(random.uuid().replacingOccurrences(of: "-", with: ""))_\(attachment.name)",
                    mimeType: attachment.mimeType, uploadStatus: attachment.uploadStatus,
                    isCorrupted: attachment.isCorrupted, bytes: attachment.bytes, createdAt: time))
            try addMessage(
                chatID: chatID, sender: sender, content: "[File: \(attachment.name)]", at: time,
                attachment: MessageAttachment(
                    fileName: attachment.name, fileSize: Int64(attachment.bytes.count), fileMimeType: attachment.mimeType,
                    fileID: stored.id))
        }
    }

    // MARK: Content

    mutating func fillerLine(requester: DemoSender) -> (DemoSender, String) {
        let roll = Int.random(in: 0..<10, using: &random)
        if roll == 0 { return (.system, Self.systemLines.randomElement(using: &random)!) }
        if roll <= 4 { return (.bob, Self.technicianLines.randomElement(using: &random)!) }
        return (requester, Self.requesterLines.randomElement(using: &random)!)
    }

    mutating func bigHistoryLine(number: Int, requester: DemoSender) -> (DemoSender, String) {
        let (sender, line) = fillerLine(requester: requester)
        return (sender, sender == .system ? line : "\(line) (update #\(number))")
    }

    static let requesterLines = [
        "Any update on this?",
        "I tried restarting, same problem.",
        "It happens every morning around 9.",
        "Thanks for the quick reply!",
        "Still not working after the update.",
        "Can you call me at extension 4412?",
        "It works from home but not in the office.",
        "OK, I'll try that now.",
        "The error code is 0x80070005 if that helps.",
        "Merci, ça marche très bien maintenant.",
    ]

    static let technicianLines = [
        "Could you send a screenshot of the error?",
        "I've reset it on our side, please try again.",
        "Please restart your laptop and reconnect.",
        "I'm escalating this to the network team.",
        "Can you tell me the asset tag on the device?",
        "Fixed on the server, let me know if it happens again.",
        "Which building and floor are you on?",
        "I'll come by your desk at 14:00.",
    ]

    static let systemLines = [
        "Technician Bob Tech was assigned|تم تعيين الفني Bob Tech",
        "Status changed to In Progress|تم تغيير الحالة إلى قيد التنفيذ",
        "Waiting for your reply|في انتظار ردك",
        "Request priority set to High|تم تعيين أولوية الطلب إلى عالية",
    ]

    // MARK: The chats

    mutating func aliceChats() -> [DemoChat] {
        var longTitle = "Very long title:"
        let words = ["printer", "scanner", "network", "drive", "mapping", "fails", "after", "reboot", "again"]
        var wordIndex = 0
        while longTitle.utf8.count < 300 {
            longTitle += " " + words[wordIndex % words.count]
            wordIndex += 1
        }
        longTitle = String(decoding: longTitle.utf8.prefix(300), as: UTF8.self)

        return [
            DemoChat(
                title: "VPN / remote access", status: .inProgress, messageCount: 18,
                script: [
                    (.alice, "The VPN client says \"connection failed\" (error 809) since this morning."),
                    (.system, "Technician Bob Tech was assigned|تم تعيين الفني Bob Tech"),
                    (.bob, "Please send a screenshot and the client log."),
                ],
                media: [
                    DemoAttachment(
                        kind: .screenshot, name: "vpn-error", mimeType: "image/jpeg",
                        bytes: DemoMedia.jpeg(comment: "VPN error 809")),
                    DemoAttachment(
                        kind: .chatFile, name: "vpn-client.log", mimeType: "text/plain",
                        bytes: Array(Self.vpnLog.utf8)),
                    DemoAttachment(
                        kind: .screenshot, name: "vpn-settings", mimeType: "image/jpeg",
                        bytes: DemoMedia.jpeg(comment: "VPN settings page")),
                ],
                desk: DemoDesk(priority: .high, assignee: .bob, category: "Software/VPN")),
            DemoChat(
                title: "Printer not working", status: .open, messageCount: 9,
                script: [(.alice, "The 3rd floor printer shows a paper jam but there is no paper stuck.")],
                media: [
                    DemoAttachment(
                        kind: .chatFile, name: "printer-error.pdf", mimeType: "application/pdf", bytes: DemoMedia.pdf)
                ],
                desk: DemoDesk(priority: .high, category: "Hardware/Printer")),
            DemoChat(
                title: "Printer not working", status: .waitingForUser, messageCount: 6,
                script: [(.alice, "Same title, different printer: the one in room 204 prints blank pages.")],
                desk: DemoDesk(assignee: .bob, category: "Hardware/Printer")),
            DemoChat(
                title: "Big history", status: .inProgress, messageCount: DemoData.bigHistoryMessageCount,
                desk: DemoDesk(priority: .low, assignee: .bob, tag: "Recurring")),
            DemoChat(
                title: "Laptop battery drains fast 🔋", status: .open, messageCount: 12,
                script: [(.alice, "Battery goes from 100% to 20% in two hours 😞")],
                desk: DemoDesk(category: "Hardware/Laptop")),
            DemoChat(title: "..", status: .open, messageCount: 4),
            DemoChat(title: longTitle, status: .open, messageCount: 5),
            DemoChat(
                title: "Access to <shared> folder & reports", status: .inProgress, messageCount: 17,
                script: [
                    (.alice, "I can't open it: the error says <Access denied> & nothing else"),
                    (.bob, "He said \"restart it\" and it's 'fine' now?"),
                    (.alice, "This is <b>bold</b> and <i>italic</i>, <strong>strong</strong> and <em>em</em>"),
                    (.alice, "<script>alert('xss')</script>Please check the permissions"),
                    (.bob, "Use <code>net use Z: \\\\files\\shared</code> then retry"),
                    (.alice, "Math still works: 5 > 3 & 2 < 4"),
                    (.alice, "The dialog title is \"Access denied (<5 min ago)\" & it's 'red'"),
                    (.alice, "<a href=\"http://evil.example\">click here</a> was in the phishing mail"),
                    (.alice, "Steps:\n1. Open Explorer\n2. Type \\\\files\\shared\n3. Error"),
                    (.bob, "Already escaped: &lt;tag&gt; &amp; done"),
                    (.alice, "Merci beaucoup, ça marche ! Ñandú, Zoë, façade, naïve"),
                    (.alice, "مرحبا، لا أستطيع الوصول إلى المجلد المشترك"),
                    (.system, "Status changed to In Progress|تم تغيير الحالة إلى قيد التنفيذ"),
                ],
                desk: DemoDesk(priority: .urgent, assignee: .bob, category: "Access/Permissions")),
            DemoChat(
                title: "Problème d'accès à l'intranet (café réseau)", status: .open, messageCount: 7,
                script: [(.alice, "Bonjour, l'intranet affiche « accès refusé » depuis le café du 2e étage.")]),
            DemoChat(
                title: "طلب صلاحية الوصول إلى النظام", status: .waitingForUser, messageCount: 5,
                script: [(.alice, "أحتاج إلى صلاحية الوصول إلى نظام المحاسبة")],
                desk: DemoDesk(assignee: .erin, category: "Access/Permissions")),
            DemoChat(
                title: "Password reset", status: .solved, messageCount: 4,
                script: [
                    (.alice, "I forgot my password after the holidays."),
                    (.bob, "Reset done, the temporary password is in your SMS."),
                    (.system, "Request solved|تم حل الطلب"),
                ],
                desk: DemoDesk(assignee: .bob, category: "Access/Password")),
            DemoChat(
                title: "Outlook keeps asking for my password", status: .inProgress, messageCount: 22,
                desk: DemoDesk(assignee: .bob, category: "Software/Email")),
            DemoChat(
                title: "New monitor request", status: .open, messageCount: 3,
                desk: DemoDesk(priority: .low, category: "Hardware/Monitor")),
            DemoChat(
                title: "Wi-Fi drops in meeting room 3", status: .inProgress, messageCount: 30,
                desk: DemoDesk(priority: .high, assignee: .erin, tag: "Recurring")),
            DemoChat(
                title: "Software install: Python 3.12", status: .waitingForUser, messageCount: 10,
                desk: DemoDesk(priority: .low, assignee: .erin, category: "Software/Install")),
            DemoChat(
                title: "Phone: voicemail not working", status: .open, messageCount: 6,
                desk: DemoDesk(category: "Hardware/Phone")),
            DemoChat(
                title: "Keyboard missing keys", status: .inProgress, messageCount: 14,
                desk: DemoDesk(priority: .low, assignee: .erin, category: "Hardware/Laptop")),
            DemoChat(title: "Email signature update", status: .open, messageCount: 4),
            DemoChat(
                title: "Teams camera not detected", status: .inProgress, messageCount: 11,
                media: [
                    DemoAttachment(
                        kind: .chatFile, name: "camera-settings.png", mimeType: "image/png", bytes: DemoMedia.png)
                ],
                desk: DemoDesk(assignee: .erin)),
            DemoChat(
                title: "Slow computer after update", status: .open, messageCount: 25,
                media: [
                    DemoAttachment(
                        kind: .screenshot, name: "task-manager", mimeType: "image/jpeg",
                        bytes: DemoMedia.jpeg(comment: "Task manager, upload still pending"), uploadStatus: .pending)
                ]),
            DemoChat(
                title: "Badge access for building B", status: .waitingForUser, messageCount: 7,
                desk: DemoDesk(assignee: .erin, category: "Access/Badge")),
            DemoChat(
                title: "Backup restore request", status: .inProgress, messageCount: 9,
                media: [
                    DemoAttachment(
                        kind: .chatFile, name: "restore-list.txt", mimeType: "text/plain",
                        bytes: Array("Q3/reports/summary.xlsx\nQ3/reports/draft.docx\n".utf8), isCorrupted: true)
                ],
                desk: DemoDesk(assignee: .erin)),
            DemoChat(title: "Shared calendar permissions", status: .open, messageCount: 40),
        ]
    }

    mutating func carolChats() -> [DemoChat] {
        [
            DemoChat(
                title: "Carol's VPN token expired", status: .open, messageCount: 6,
                script: [(.carol, "My hardware token shows an expired date.")],
                media: [
                    DemoAttachment(
                        kind: .screenshot, name: "token-expired", mimeType: "image/jpeg",
                        bytes: DemoMedia.jpeg(comment: "Carol's token"))
                ],
                desk: DemoDesk(priority: .urgent, category: "Software/VPN", tag: "VIP")),
            DemoChat(
                title: "Carol: expense report access", status: .inProgress, messageCount: 5,
                media: [
                    DemoAttachment(
                        kind: .chatFile, name: "expenses-q3.txt", mimeType: "text/plain",
                        bytes: Array("Carol's private expense notes\n".utf8))
                ],
                desk: DemoDesk(assignee: .erin, category: "Access/Permissions", tag: "VIP")),
        ]
    }

    static let vpnLog = """
        2026-01-06 08:14:03 INFO  starting VPN client 5.2.1
        2026-01-06 08:14:04 INFO  resolving vpn.example.com
        2026-01-06 08:14:09 ERROR IKE negotiation failed (error 809)
        2026-01-06 08:14:09 INFO  giving up after 3 attempts

        """
}
