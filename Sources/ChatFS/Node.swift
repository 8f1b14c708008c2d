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
        case .eventsFile: .eventsFile
        case .transcriptsDirectory: .transcriptsDirectory
        case .transcriptFile(let chat): .transcriptFile(chatRowID: chat.rowID)
        case .transcriptLink(let chat): .transcriptLink(chatRowID: chat.rowID)
        }
    }

    var isDirectory: Bool {
        switch self {
        case .statusFile, .messageFile, .outboxFile, .mediaFile, .queueEntry, .eventsFile, .transcriptFile, .transcriptLink: false
        case .root, .controlDirectory, .chatDirectory, .mediaDirectory, .outboxDirectory, .queuesDirectory, .queueDirectory,
             .transcriptsDirectory: true
        }
    }

    var isSymlink: Bool {
        switch self {
        case .queueEntry, .transcriptLink: true
        default: false
        }
    }

    /// The node behind an inode number, or nil when its row is gone (a chat that left the
    /// list, an evicted message).
    static func resolve(_ inode: InodeNumber, in cache: ChatCache, outbox: Outbox) throws -> Node? {
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
        case .eventsFile: return .eventsFile
        case .transcriptsDirectory: return .transcriptsDirectory
        case .transcriptFile(let chatRowID): return try cache.chat(rowID: chatRowID).map(Node.transcriptFile)
        case .transcriptLink(let chatRowID): return try cache.chat(rowID: chatRowID).map(Node.transcriptLink)
        }
    }
}
