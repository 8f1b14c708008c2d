import ChatCache

/// The shape of the tree: which names each directory starts with.
extension Node {
    static let controlDirectoryName = ".chatfs"
    static let mediaDirectoryName = "media"
    static let outboxDirectoryName = "outbox"
    static let queuesDirectoryName = "queues"
    static let searchDirectoryName = "search"
    static let unreadDirectoryName = "unread"
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
                + [(Self.unreadDirectoryName, .node(.unreadDirectory))]
        case .queuesDirectory:
            entries = QueueDirectory.all.map { ($0.name, .node(.queueDirectory($0))) }
        case .queueDirectory:
            entries = []
        case .controlDirectory:
            entries = StatusFormat.allCases.map { ($0.fileName, .node(.statusFile($0))) }
        case .chatDirectory(let chat):
            entries = [(Self.mediaDirectoryName, .node(.mediaLink(chat))),
                       (Self.outboxDirectoryName, .node(.outboxDirectory(chat))),
                       (Self.transcriptLinkName, .node(.transcriptLink(chat)))]
        case .mediaDirectory, .outboxDirectory, .searchDirectory, .mediaRoot, .unreadDirectory, .searchQueryDirectory,
             .transcriptsDirectory:
            entries = []
        case .statusFile, .messageFile, .outboxFile, .mediaFile, .queueEntry, .searchResult, .unreadEntry, .mediaLink,
             .eventsFile, .transcriptFile, .transcriptLink:
            return []
        }
        return [(".", .dotEntry(inodeNumber)), ("..", .dotEntry(parentInodeNumber))] + entries
    }

    /// The child among the fixed entries called `name` (never `.` or `..`), or one of the
    /// names that are looked up but never listed, so that no recursive walk enters them
    /// (docs/design.md "Walk rules").
    func fixedChild(named name: String, showsQueues: Bool) -> Node? {
        for entry in fixedEntries(showsQueues: showsQueues) where entry.name == name {
            if case .node(let node) = entry.target { return node }
        }
        switch (self, name) {
        case (.controlDirectory, Self.searchDirectoryName): return .searchDirectory
        case (.controlDirectory, Self.mediaDirectoryName): return .mediaRoot
        case (.controlDirectory, Self.eventsFileName): return .eventsFile
        case (.controlDirectory, Self.transcriptsDirectoryName): return .transcriptsDirectory
        default: return nil
        }
    }

    /// Where `<chat>/transcript` points, from inside the chat's directory.
    static func transcriptLinkTarget(to chat: ChatRecord) -> String {
        "../\(controlDirectoryName)/\(transcriptsDirectoryName)/\(chat.rowID)"
    }

    private var parentInodeNumber: InodeNumber {
        switch self {
        case .root, .controlDirectory, .chatDirectory, .queuesDirectory, .unreadDirectory: .root
        case .eventsFile, .transcriptsDirectory: .controlDirectory
        case .transcriptFile: .transcriptsDirectory
        case .transcriptLink(let chat): .chatDirectory(chatRowID: chat.rowID)
        case .queueDirectory: .queuesDirectory
        case .queueEntry(let queue, _): .queueDirectory(index: queue.index)
        case .statusFile, .searchDirectory, .mediaRoot: .controlDirectory
        case .searchQueryDirectory: .searchDirectory
        case .searchResult(let link): .searchQueryDirectory(queryID: link.queryID)
        case .unreadEntry: .unreadDirectory
        case .mediaDirectory: .mediaRoot
        case .outboxDirectory(let chat), .mediaLink(let chat): .chatDirectory(chatRowID: chat.rowID)
        case .outboxFile(_, let chat): .outboxDirectory(chatRowID: chat.rowID)
        case .mediaFile(_, let chat): .mediaDirectory(chatRowID: chat.rowID)
        case .messageFile(let message): .chatDirectory(chatRowID: message.chatRowID)
        }
    }
}
