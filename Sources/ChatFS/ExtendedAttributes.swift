import ChatCache
import Foundation

/// The `user.chatfs.*` attributes (`getfattr -d`): metadata a script may want without
/// parsing files. Read-only.
enum ExtendedAttributes {
    static let chatID = "user.chatfs.chat_id"
    static let title = "user.chatfs.title"
    static let unread = "user.chatfs.unread"
    static let messageID = "user.chatfs.message_id"
    static let sequence = "user.chatfs.sequence"
    static let sender = "user.chatfs.sender"

    /// The kernel refuses values and name lists above this (XATTR_SIZE_MAX).
    static let maximumSize = 65536

    /// Only the `user.` namespace exists here. `ls -l` asks every file for
    /// `security.selinux` and `system.posix_acl_access`; "not supported" (unlike "no such
    /// attribute") makes coreutils stop asking for the rest of the device, which saves two
    /// round trips per file (measured: 20,000 GETXATTRs for one `ls -l` of 10,000 files).
    static func isSupported(_ name: String) -> Bool {
        name.hasPrefix("user.")
    }

    /// The names a node has, in listing order.
    static func names(of node: Node) -> [String] {
        switch node {
        case .chatDirectory: [chatID, title, unread]
        case .messageFile: [chatID, messageID, sequence, sender]
        case .root, .controlDirectory, .statusFile, .mediaDirectory, .outboxDirectory: []
        }
    }

    /// The value of one attribute, nil when the node has none of that name. `chatOfMessage`
    /// is only called for a message's chat id (it lives on the chat row).
    static func value(_ name: String, of node: Node, chatOfMessage: (Int64) throws -> ChatRecord?) rethrows -> String? {
        switch (node, name) {
        case (.chatDirectory(let chat), chatID): chat.id
        case (.chatDirectory(let chat), title): chat.title
        case (.chatDirectory(let chat), unread): String(chat.unreadCount)
        case (.messageFile(let message), chatID): try chatOfMessage(message.chatRowID)?.id
        case (.messageFile(let message), messageID): message.id
        case (.messageFile(let message), sequence): String(message.sequence)
        case (.messageFile(let message), sender): message.sender
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
