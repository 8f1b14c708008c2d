import ChatCache

/// The shape of the tree: which names each directory starts with.
extension Node {
    static let controlDirectoryName = ".chatfs"
    static let mediaDirectoryName = "media"
    static let outboxDirectoryName = "outbox"
    static let queuesDirectoryName = "queues"
    static let transcriptLinkName = "transcript"
    static let eventsFileName = "events"
    static let transcriptsDirectoryName = "transcripts"

    /// What a directory entry points at: `.` and `..` are listed by inode number only (the
    /// kernel takes neither attributes nor a lookup reference from them).
    enum EntryTarget {
        case dotEntry(InodeNumber)
        case node(Node)
    }

    /// The entries a listing of this directory starts with, in order, before its keyed
    /// entries (chats, messages). Empty for files.
    /// `showsQueues`: the mount is a technician's (the root lists `queues/`).
    func fixedEntries(showsQueues: Bool) -> [(name: String, target: EntryTarget)] {
        var entries: [(name: String, target: EntryTarget)]
        switch self {
        case .root:
            entries = [(Self.controlDirectoryName, .node(.controlDirectory))]
                + (showsQueues ? [(Self.queuesDirectoryName, .node(.queuesDirectory))] : [])
        case .queuesDirectory:
            entries = QueueDirectory.all.map { ($0.name, .node(.queueDirectory($0))) }
        case .queueDirectory:
            entries = []
        case .controlDirectory:
            entries = StatusFormat.allCases.map { ($0.fileName, .node(.statusFile($0))) }
        case .chatDirectory(let chat):
            entries = [(Self.mediaDirectoryName, .node(.mediaDirectory(chat))),
                       (Self.outboxDirectoryName, .node(.outboxDirectory(chat))),
                       (Self.transcriptLinkName, .node(.transcriptLink(chat)))]
        case .mediaDirectory, .outboxDirectory, .transcriptsDirectory:
            entries = []
        case .statusFile, .messageFile, .outboxFile, .mediaFile, .queueEntry, .eventsFile, .transcriptFile, .transcriptLink:
            return []
        }
        return [(".", .dotEntry(inodeNumber)), ("..", .dotEntry(parentInodeNumber))] + entries
    }

    /// The child among the fixed entries called `name` (never `.` or `..`), or among the
    /// names found by lookup but never listed: a recursive walk (grep -r, find, du, rsync,
    /// tar) never reaches the event stream, nor a transcript but by a symlink it does not follow.
    func fixedChild(named name: String, showsQueues: Bool) -> Node? {
        for entry in fixedEntries(showsQueues: showsQueues) where entry.name == name {
            if case .node(let node) = entry.target { return node }
        }
        guard case .controlDirectory = self else { return nil }
        switch name {
        case Self.eventsFileName: return .eventsFile
        case Self.transcriptsDirectoryName: return .transcriptsDirectory
        default: return nil
        }
    }

    /// Where `<chat>/transcript` points, from inside the chat's directory.
    static func transcriptLinkTarget(to chat: ChatRecord) -> String {
        "../\(controlDirectoryName)/\(transcriptsDirectoryName)/\(chat.rowID)"
    }

    private var parentInodeNumber: InodeNumber {
        switch self {
        case .root, .controlDirectory, .chatDirectory, .queuesDirectory: .root
        case .eventsFile, .transcriptsDirectory: .controlDirectory
        case .transcriptFile: .transcriptsDirectory
        case .transcriptLink(let chat): .chatDirectory(chatRowID: chat.rowID)
        case .queueDirectory: .queuesDirectory
        case .queueEntry(let queue, _): .queueDirectory(index: queue.index)
        case .statusFile: .controlDirectory
        case .mediaDirectory(let chat), .outboxDirectory(let chat): .chatDirectory(chatRowID: chat.rowID)
        case .outboxFile(_, let chat): .outboxDirectory(chatRowID: chat.rowID)
        case .mediaFile(_, let chat): .mediaDirectory(chatRowID: chat.rowID)
        case .messageFile(let message): .chatDirectory(chatRowID: message.chatRowID)
        }
    }
}
