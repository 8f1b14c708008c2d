/// The shape of the tree: which names each directory starts with.
extension Node {
    static let controlDirectoryName = ".chatfs"
    static let mediaDirectoryName = "media"
    static let outboxDirectoryName = "outbox"

    /// What a directory entry points at: `.` and `..` are listed by inode number only (the
    /// kernel takes neither attributes nor a lookup reference from them).
    enum EntryTarget {
        case dotEntry(InodeNumber)
        case node(Node)
    }

    /// The entries a listing of this directory starts with, in order, before its keyed
    /// entries (chats, messages). Empty for files.
    var fixedEntries: [(name: String, target: EntryTarget)] {
        var entries: [(name: String, target: EntryTarget)]
        switch self {
        case .root:
            entries = [(Self.controlDirectoryName, .node(.controlDirectory))]
        case .controlDirectory:
            entries = StatusFormat.allCases.map { ($0.fileName, .node(.statusFile($0))) }
        case .chatDirectory(let chat):
            entries = [(Self.mediaDirectoryName, .node(.mediaDirectory(chat))),
                       (Self.outboxDirectoryName, .node(.outboxDirectory(chat)))]
        case .mediaDirectory, .outboxDirectory:
            entries = []
        case .statusFile, .messageFile, .outboxFile, .mediaFile:
            return []
        }
        return [(".", .dotEntry(inodeNumber)), ("..", .dotEntry(parentInodeNumber))] + entries
    }

    /// The child among the fixed entries called `name` (never `.` or `..`).
    func fixedChild(named name: String) -> Node? {
        for entry in fixedEntries where entry.name == name {
            if case .node(let node) = entry.target { return node }
        }
        return nil
    }

    private var parentInodeNumber: InodeNumber {
        switch self {
        case .root, .controlDirectory, .chatDirectory: .root
        case .statusFile: .controlDirectory
        case .mediaDirectory(let chat), .outboxDirectory(let chat): .chatDirectory(chatRowID: chat.rowID)
        case .outboxFile(_, let chat): .outboxDirectory(chatRowID: chat.rowID)
        case .mediaFile(_, let chat): .mediaDirectory(chatRowID: chat.rowID)
        case .messageFile(let message): .chatDirectory(chatRowID: message.chatRowID)
        }
    }
}
