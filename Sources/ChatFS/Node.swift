import ChatCache
import ChatOutbox

/// A node of the tree with the database record it shows, resolved from an inode number
/// on every request (there is no in-memory inode table).
enum Node: Sendable {
    case root
    case controlDirectory
    case statusFile(StatusFormat)
    case chatDirectory(ChatRecord)
    case mediaDirectory(ChatRecord)
    case outboxDirectory(ChatRecord)
    case messageFile(MessageRecord)
    /// A file in `chat`'s outbox (a draft, a message waiting to be sent, a failed one).
    case outboxFile(OutboxRecord, chat: ChatRecord)
    /// An attachment in `chat`'s `media/`.
    case mediaFile(MediaRecord, chat: ChatRecord)
    /// `queues/` (a technician's mount only).
    case queuesDirectory
    case queueDirectory(QueueDirectory)
    /// A symlink in a queue's directory to the chat's own directory.
    case queueEntry(QueueDirectory, chat: ChatRecord)
    /// `.chatfs/search` and `.chatfs/media` are looked up, never listed; `unread/` is listed.
    case searchDirectory, mediaRoot, unreadDirectory
    case searchQueryDirectory(SearchQueryDirectory)
    case searchResult(SearchResultLink)
    /// A symlink in `unread/` to a chat with unread messages.
    case unreadEntry(ChatRecord)
    /// `<chat>/media`, a symlink to the chat's `mediaDirectory` in `.chatfs/media`.
    case mediaLink(ChatRecord)
    /// `.chatfs/events`: the event stream (EventStream), opened by name, never listed.
    case eventsFile
    /// `.chatfs/transcripts`: holds the chats' transcripts, found by name, lists nothing.
    case transcriptsDirectory
    /// `.chatfs/transcripts/<chat row id>`: the chat's messages in one growing file.
    case transcriptFile(ChatRecord)
    /// `<chat>/transcript`: a symlink to the chat's transcript file (walkers do not follow it).
    case transcriptLink(ChatRecord)

    var inodeNumber: InodeNumber {
        switch self {
        case .root: .root
        case .controlDirectory: .controlDirectory
        case .statusFile(let format): .statusFile(format)
        case .chatDirectory(let chat): .chatDirectory(chatRowID: chat.rowID)
        case .mediaDirectory(let chat): .mediaDirectory(chatRowID: chat.rowID)
        case .outboxDirectory(let chat): .outboxDirectory(chatRowID: chat.rowID)
        case .messageFile(let message): .messageFile(messageRowID: message.rowID)
        case .outboxFile(let item, _): .outboxFile(outboxRowID: item.rowID)
        case .mediaFile(let media, _): .mediaFile(mediaRowID: media.rowID)
        case .queuesDirectory: .queuesDirectory
        case .queueDirectory(let queue): .queueDirectory(index: queue.index)
        case .queueEntry(let queue, let chat): .queueEntry(index: queue.index, chatRowID: chat.rowID)
        case .searchDirectory: .searchDirectory
        case .mediaRoot: .mediaRoot
        case .unreadDirectory: .unreadDirectory
        case .searchQueryDirectory(let query): .searchQueryDirectory(queryID: query.id)
        case .searchResult(let link): .searchResult(queryID: link.queryID, messageRowID: link.messageRowID)
        case .unreadEntry(let chat): .unreadEntry(chatRowID: chat.rowID)
        case .mediaLink(let chat): .mediaLink(chatRowID: chat.rowID)
        case .eventsFile: .eventsFile
        case .transcriptsDirectory: .transcriptsDirectory
        case .transcriptFile(let chat): .transcriptFile(chatRowID: chat.rowID)
        case .transcriptLink(let chat): .transcriptLink(chatRowID: chat.rowID)
        }
    }

    var isDirectory: Bool {
        switch self {
        case .statusFile, .messageFile, .outboxFile, .mediaFile, .queueEntry, .searchResult, .unreadEntry, .mediaLink,
             .eventsFile, .transcriptFile, .transcriptLink: false
        case .root, .controlDirectory, .chatDirectory, .mediaDirectory, .outboxDirectory, .queuesDirectory, .queueDirectory,
             .searchDirectory, .mediaRoot, .unreadDirectory, .searchQueryDirectory, .transcriptsDirectory: true
        }
    }

    /// A symlink's target, nil for other nodes.
    var linkTarget: String? {
        switch self {
        case .queueEntry(_, let chat): QueueDirectory.linkTarget(to: chat)
        case .searchResult(let link): link.target
        case .unreadEntry(let chat): "../" + chat.dirName
        case .mediaLink(let chat): "../\(Self.controlDirectoryName)/\(Self.mediaDirectoryName)/\(chat.rowID)"
        case .transcriptLink(let chat): Self.transcriptLinkTarget(to: chat)
        default: nil
        }
    }

    var isSymlink: Bool { linkTarget != nil }

    /// The node behind an inode number, or nil when its row is gone (a chat that left the
    /// list, an evicted message).
    static func resolve(_ inode: InodeNumber, in cache: ChatCache, outbox: Outbox, searches: SearchRegistry) throws -> Node? {
        switch inode {
        case .root: return .root
        case .controlDirectory: return .controlDirectory
        case .statusFile(let format): return .statusFile(format)
        case .chatDirectory(let rowID): return try cache.chat(rowID: rowID).map(Node.chatDirectory)
        case .mediaDirectory(let rowID): return try cache.chat(rowID: rowID).map(Node.mediaDirectory)
        case .outboxDirectory(let rowID): return try cache.chat(rowID: rowID).map(Node.outboxDirectory)
        case .messageFile(let rowID): return try cache.message(rowID: rowID).map(Node.messageFile)
        case .outboxFile(let rowID):
            // An item whose chat left the list is in no outbox/ the tree shows.
            guard let item = try outbox.item(rowID: rowID), let chat = try cache.chat(id: item.chatID) else { return nil }
            return .outboxFile(item, chat: chat)
        case .mediaFile(let rowID):
            guard let media = try cache.media(rowID: rowID), let chat = try cache.chat(id: media.chatID) else { return nil }
            return .mediaFile(media, chat: chat)
        case .queuesDirectory: return .queuesDirectory
        case .queueDirectory(let index): return QueueDirectory(index: index).map(Node.queueDirectory)
        case .queueEntry(let index, let chatRowID):
            // Only while the chat is a member of that view.
            guard let queue = QueueDirectory(index: index), let chat = try cache.chat(rowID: chatRowID),
                  try cache.isQueueMember(queue.view.rawValue, chatID: chat.id) else { return nil }
            return .queueEntry(queue, chat: chat)
        case .searchDirectory: return .searchDirectory
        case .mediaRoot: return .mediaRoot
        case .unreadDirectory: return .unreadDirectory
        case .searchQueryDirectory(let id):
            return searches.text(ofQueryID: id).map { .searchQueryDirectory(SearchQueryDirectory(id: id, text: $0)) }
        case .searchResult(let queryID, let messageRowID):
            guard searches.text(ofQueryID: queryID) != nil, let message = try cache.message(rowID: messageRowID),
                  let chat = try cache.chat(rowID: message.chatRowID) else { return nil }
            return .searchResult(SearchResultLink(queryID: queryID, message: message, chat: chat))
        case .unreadEntry(let rowID):
            guard let chat = try cache.chat(rowID: rowID), chat.unreadCount > 0 else { return nil }
            return .unreadEntry(chat)
        case .mediaLink(let rowID): return try cache.chat(rowID: rowID).map(Node.mediaLink)
        case .eventsFile: return .eventsFile
        case .transcriptsDirectory: return .transcriptsDirectory
        case .transcriptFile(let chatRowID): return try cache.chat(rowID: chatRowID).map(Node.transcriptFile)
        case .transcriptLink(let chatRowID): return try cache.chat(rowID: chatRowID).map(Node.transcriptLink)
        }
    }
}
