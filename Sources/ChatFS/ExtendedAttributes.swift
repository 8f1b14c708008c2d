import ChatCache
import ChatOutbox
import Foundation

/// The `user.chatfs.*` attributes (`getfattr -d`): metadata a script may want without
/// parsing files. Read-only, but for `user.chatfs.unread` on a chat directory, which
/// takes "0" to mark the chat read, and `user.chatfs.pinned` on an attachment ("1"/"0").
enum ExtendedAttributes {
    static let chatID = "user.chatfs.chat_id"
    static let title = "user.chatfs.title"
    static let unread = "user.chatfs.unread"
    static let status = "user.chatfs.status"
    // What a technician triages by (chat directories on a technician's mount).
    static let priority = "user.chatfs.priority"
    static let dueDate = "user.chatfs.due_date"
    static let requester = "user.chatfs.requester"
    static let businessUnit = "user.chatfs.business_unit"
    static let category = "user.chatfs.category"
    static let assignedToMe = "user.chatfs.assigned_to_me"
    static let technicianUnread = "user.chatfs.technician_unread"
    // Queue directories: the view's size on the server.
    static let count = "user.chatfs.count"
    static let messageID = "user.chatfs.message_id"
    static let sequence = "user.chatfs.sequence"
    static let sender = "user.chatfs.sender"
    // Outbox files.
    static let state = "user.chatfs.state"
    static let attempts = "user.chatfs.attempts"
    static let nextAttempt = "user.chatfs.next_attempt"
    static let lastError = "user.chatfs.last_error"
    static let clientTempID = "user.chatfs.client_temp_id"
    // Attachments.
    static let pinned = "user.chatfs.pinned"
    static let mediaID = "user.chatfs.media_id"
    static let kind = "user.chatfs.kind"
    static let cached = "user.chatfs.cached"
    static let sha256 = "user.chatfs.sha256"
    /// The server's `uploadStatus`: `completed`, or `pending` (served by the deployed backend
    /// before its upload worker finishes, maybe never).
    static let uploadState = "user.chatfs.upload_state"
    /// "1" once the cached bytes matched the server's sha256; "0" while unverified (not
    /// cached, or cached while pending, before the server had a hash).
    static let verified = "user.chatfs.verified"

    /// The kernel refuses values and name lists above this (XATTR_SIZE_MAX).
    static let maximumSize = 65536

    /// Only the `user.` namespace exists here. `ls -l` asks every file for
    /// `security.selinux` and `system.posix_acl_access`; "not supported" (unlike "no such
    /// attribute") makes coreutils stop asking for the rest of the device, which saves two
    /// round trips per file (measured: 20,000 GETXATTRs for one `ls -l` of 10,000 files).
    static func isSupported(_ name: String) -> Bool {
        name.hasPrefix("user.")
    }

    /// What the chat directories' and queues' attributes are read from (the cache).
    struct Sources {
        /// A message's chat (the chat id lives on the chat row).
        var chatOfMessage: (Int64) throws -> ChatRecord?
        /// An outbox file's state as shown (a file open for writing is `writing` before
        /// the store knows).
        var outboxState: (OutboxRecord) -> String
        /// What a technician triages a chat by; nil on a requester's mount.
        var triage: (ChatRecord) throws -> ChatTriage?
        var assignedToMe: (ChatRecord) throws -> Bool
        var queueCount: (QueueDirectory) throws -> Int?
    }

    /// The names a node has, in listing order.
    static func names(of node: Node, triage: ChatTriage?) -> [String] {
        switch node {
        case .chatDirectory(let chat):
            [chatID, title, unread] + (chat.status == nil ? [] : [status]) + (triage.map(triageNames) ?? [])
        case .queueDirectory: [count]
        case .messageFile: [chatID, messageID, sequence, sender]
        case .outboxFile(let item, _):
            [state, attempts] + (item.nextAttemptAt == nil ? [] : [nextAttempt]) + (item.lastError == nil ? [] : [lastError])
                + (item.clientTempID == nil ? [] : [clientTempID])
        case .mediaFile(let media, _):
            [chatID, mediaID, kind, pinned, cached] + (media.sha256 == nil ? [] : [sha256]) + [uploadState, verified]
        case .root, .controlDirectory, .statusFile, .mediaDirectory, .outboxDirectory, .queuesDirectory, .queueEntry,
             .searchDirectory, .mediaRoot, .unreadDirectory, .searchQueryDirectory, .searchResult, .unreadEntry, .mediaLink,
             .eventsFile, .transcriptsDirectory, .transcriptFile, .transcriptLink: []
        }
    }

    private static func triageNames(_ triage: ChatTriage) -> [String] {
        [priority] + (triage.dueDate == nil ? [] : [dueDate]) + [requester, businessUnit]
            + (triage.category == nil ? [] : [category]) + [assignedToMe, technicianUnread]
    }

    /// The value of one attribute, nil when the node has none of that name.
    static func value(_ name: String, of node: Node, from sources: Sources) throws -> String? {
        switch (node, name) {
        case (.chatDirectory(let chat), chatID): chat.id
        case (.chatDirectory(let chat), title): chat.title
        case (.chatDirectory(let chat), unread): String(chat.unreadCount)
        case (.chatDirectory(let chat), status): chat.status
        case (.chatDirectory(let chat), priority): try sources.triage(chat)?.priority ?? ""
        case (.chatDirectory(let chat), dueDate): try sources.triage(chat)?.dueDate.map(MessageFormat.dateString)
        case (.chatDirectory(let chat), requester): try sources.triage(chat)?.requester ?? ""
        case (.chatDirectory(let chat), businessUnit): try sources.triage(chat)?.businessUnit ?? ""
        case (.chatDirectory(let chat), category): try sources.triage(chat)?.category
        case (.chatDirectory(let chat), assignedToMe): try sources.triage(chat).map { _ in try sources.assignedToMe(chat) ? "1" : "0" }
        case (.chatDirectory(let chat), technicianUnread): try sources.triage(chat).map { $0.technicianUnread == true ? "1" : "0" }
        case (.queueDirectory(let queue), count): try sources.queueCount(queue).map(String.init)
        case (.messageFile(let message), chatID): try sources.chatOfMessage(message.chatRowID)?.id
        case (.messageFile(let message), messageID): message.id
        case (.messageFile(let message), sequence): String(message.sequence)
        case (.messageFile(let message), sender): message.sender
        case (.outboxFile(let item, _), state): sources.outboxState(item)
        case (.outboxFile(let item, _), attempts): String(item.attempts)
        case (.outboxFile(let item, _), nextAttempt): item.nextAttemptAt.map(MessageFormat.dateString)
        case (.outboxFile(let item, _), lastError): item.lastError
        case (.outboxFile(let item, _), clientTempID): item.clientTempID
        case (.mediaFile(let media, _), chatID): media.chatID
        // The server's id of the attachment (chat files and screenshots are numbered apart).
        case (.mediaFile(let media, _), mediaID): String(media.serverID)
        case (.mediaFile(let media, _), kind): media.kind
        case (.mediaFile(let media, _), pinned): media.pinned ? "1" : "0"
        case (.mediaFile(let media, _), cached): media.isCached ? "1" : "0"
        case (.mediaFile(let media, _), sha256): media.sha256
        case (.mediaFile(let media, _), uploadState): media.uploadStatus
        case (.mediaFile(let media, _), verified): media.verified ? "1" : "0"
        default: nil
        }
    }

    /// Whether a value written to `user.chatfs.unread` marks the chat read: only "0" does
    /// (an unread count cannot be raised from here).
    static func marksRead(_ value: [UInt8]) -> Bool {
        value == Array("0".utf8)
    }

    /// What a value written to `user.chatfs.pinned` asks for: "1" pins, "0" unpins, anything
    /// else is nil (EINVAL).
    static func pinnedValue(_ value: [UInt8]) -> Bool? {
        switch value {
        case Array("1".utf8): true
        case Array("0".utf8): false
        default: nil
        }
    }

    /// The listxattr payload: every name followed by a NUL.
    static func nameList(_ names: [String]) -> [UInt8] {
        names.flatMap { Array($0.utf8) + [0] }
    }

    /// The size-probe protocol shared by getxattr and listxattr: a request of size 0 asks
    /// for the size needed, a buffer too small is ERANGE, otherwise the bytes themselves.
    static func reply(with value: [UInt8], requestedSize: Int) -> FuseReply {
        if value.count > maximumSize { return .error(E2BIG) }
        if requestedSize == 0 { return .extendedAttributeSize(value.count) }
        if value.count > requestedSize { return .error(ERANGE) }
        return .bytes(value)
    }
}
