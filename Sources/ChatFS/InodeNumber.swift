/// The inode number of every node in the tree, derived from database row ids so that it is
/// the same after a remount and needs no in-memory table (`forget` has nothing to free).
///
/// Layout: the node kind in the top 8 bits, the row id in the low 56 bits. Kind 0 holds the
/// few fixed nodes (root = 1, as FUSE requires). Row ids above 2^56 - 1 cannot be
/// represented; SQLite only hands those out when a row id is chosen explicitly.
enum InodeNumber: Hashable, Sendable {
    case root
    case controlDirectory               // .chatfs
    case statusFile(StatusFormat)       // .chatfs/status, .chatfs/status.json
    case chatDirectory(chatRowID: Int64)
    case mediaDirectory(chatRowID: Int64)
    case outboxDirectory(chatRowID: Int64)
    case messageFile(messageRowID: Int64)
    /// A file in a chat's `outbox/`: the outbox row id, so the number survives renames.
    case outboxFile(outboxRowID: Int64)
    /// An attachment in a chat's `media/`: the media row id.
    case mediaFile(mediaRowID: Int64)
    /// `queues/` on a technician's mount.
    case queuesDirectory
    /// `queues/<view>`: the view's index (see `QueueDirectory`).
    case queueDirectory(index: Int)
    /// A symlink in `queues/<view>` to a chat directory.
    case queueEntry(index: Int, chatRowID: Int64)
    /// `.chatfs/search`, `unread/` and `.chatfs/media` (docs/design.md "Walk rules").
    case searchDirectory, unreadDirectory, mediaRoot
    /// `.chatfs/search/<query>`: the query's id in `SearchRegistry`.
    case searchQueryDirectory(queryID: Int)
    /// A symlink in a query's directory to a message file.
    case searchResult(queryID: Int, messageRowID: Int64)
    /// A symlink in `unread/` to a chat directory.
    case unreadEntry(chatRowID: Int64)
    /// `<chat>/media`: a symlink to the chat's media directory in `.chatfs/media`.
    case mediaLink(chatRowID: Int64)
    case eventsFile                     // .chatfs/events (lookup only)
    case transcriptsDirectory           // .chatfs/transcripts (lookup only)
    /// `.chatfs/transcripts/<chat row id>`, and the `<chat>/transcript` symlink to it.
    case transcriptFile(chatRowID: Int64)
    case transcriptLink(chatRowID: Int64)

    static let kindShift: UInt64 = 56
    static let rowIDMask: UInt64 = (1 << kindShift) - 1
    static let maximumRowID = Int64(rowIDMask)

    /// Kind tags (top 8 bits). Never renumber: the numbers are visible to users (`ls -i`,
    /// `find -inum`) and must stay stable across versions.
    private enum Kind: UInt64 {
        case fixed = 0, chatDirectory = 1, mediaDirectory = 2, outboxDirectory = 3, messageFile = 4, outboxFile = 5,
             mediaFile = 6, queueDirectory = 7, queueEntry = 8, transcriptFile = 9, transcriptLink = 10
        case searchQueryDirectory = 11, searchResult = 12, unreadEntry = 13, mediaLink = 14
    }

    private enum Fixed: UInt64 {
        case root = 1, controlDirectory = 2, statusFile = 3, statusJSONFile = 4, queuesDirectory = 5
        case eventsFile = 6, transcriptsDirectory = 7
        case searchDirectory = 8, unreadDirectory = 9, mediaRoot = 10
    }

    /// A queue entry's low bits: the view's index in the lowest 4, the chat's row id above.
    private static let queueIndexBits: UInt64 = 4
    /// A search result's low 56 bits: the message's row id in the lowest 40, the query's id
    /// (1 ..< 2^16, `SearchRegistry`) above.
    static let searchMessageBits: UInt64 = 40
    static let maximumQueryID = 1 << (56 - Int(searchMessageBits)) - 1

    init?(rawValue: UInt64) {
        guard let kind = Kind(rawValue: rawValue >> Self.kindShift) else { return nil }
        let low = rawValue & Self.rowIDMask
        if kind == .fixed {
            switch Fixed(rawValue: low) {
            case .root: self = .root
            case .controlDirectory: self = .controlDirectory
            case .statusFile: self = .statusFile(.text)
            case .statusJSONFile: self = .statusFile(.json)
            case .queuesDirectory: self = .queuesDirectory
            case .searchDirectory: self = .searchDirectory
            case .unreadDirectory: self = .unreadDirectory
            case .mediaRoot: self = .mediaRoot
            case .eventsFile: self = .eventsFile
            case .transcriptsDirectory: self = .transcriptsDirectory
            case nil: return nil
            }
            return
        }
        guard low != 0 else { return nil }
        let rowID = Int64(low)
        switch kind {
        case .fixed: return nil
        case .chatDirectory: self = .chatDirectory(chatRowID: rowID)
        case .mediaDirectory: self = .mediaDirectory(chatRowID: rowID)
        case .outboxDirectory: self = .outboxDirectory(chatRowID: rowID)
        case .messageFile: self = .messageFile(messageRowID: rowID)
        case .outboxFile: self = .outboxFile(outboxRowID: rowID)
        case .mediaFile: self = .mediaFile(mediaRowID: rowID)
        case .queueDirectory: self = .queueDirectory(index: Int(low - 1))
        case .queueEntry:
            self = .queueEntry(index: Int(low & ((1 << Self.queueIndexBits) - 1)), chatRowID: Int64(low >> Self.queueIndexBits))
        case .searchQueryDirectory:
            guard low <= Self.maximumQueryID else { return nil }
            self = .searchQueryDirectory(queryID: Int(low))
        case .searchResult:
            let messageRowID = Int64(low & ((1 << Self.searchMessageBits) - 1)), queryID = Int(low >> Self.searchMessageBits)
            guard messageRowID > 0, queryID > 0 else { return nil }
            self = .searchResult(queryID: queryID, messageRowID: messageRowID)
        case .unreadEntry: self = .unreadEntry(chatRowID: rowID)
        case .mediaLink: self = .mediaLink(chatRowID: rowID)
        case .transcriptFile: self = .transcriptFile(chatRowID: rowID)
        case .transcriptLink: self = .transcriptLink(chatRowID: rowID)
        }
    }

    /// The number given to the kernel, or nil when the row id does not fit in 56 bits
    /// (or is not positive), so that two nodes can never share a number.
    var rawValue: UInt64? {
        switch self {
        case .root: return Fixed.root.rawValue
        case .controlDirectory: return Fixed.controlDirectory.rawValue
        case .statusFile(.text): return Fixed.statusFile.rawValue
        case .statusFile(.json): return Fixed.statusJSONFile.rawValue
        case .queuesDirectory: return Fixed.queuesDirectory.rawValue
        case .searchDirectory: return Fixed.searchDirectory.rawValue
        case .unreadDirectory: return Fixed.unreadDirectory.rawValue
        case .mediaRoot: return Fixed.mediaRoot.rawValue
        case .searchQueryDirectory(let queryID):
            guard queryID <= Self.maximumQueryID else { return nil }
            return Self.compose(.searchQueryDirectory, Int64(queryID))
        case .searchResult(let queryID, let messageRowID):
            guard queryID > 0, queryID <= Self.maximumQueryID, messageRowID > 0, messageRowID < 1 << Self.searchMessageBits else {
                return nil
            }
            return Self.compose(.searchResult, Int64(queryID) << Self.searchMessageBits | messageRowID)
        case .unreadEntry(let rowID): return Self.compose(.unreadEntry, rowID)
        case .mediaLink(let rowID): return Self.compose(.mediaLink, rowID)
        case .eventsFile: return Fixed.eventsFile.rawValue
        case .transcriptsDirectory: return Fixed.transcriptsDirectory.rawValue
        case .transcriptFile(let rowID): return Self.compose(.transcriptFile, rowID)
        case .transcriptLink(let rowID): return Self.compose(.transcriptLink, rowID)
        case .queueDirectory(let index): return Self.compose(.queueDirectory, Int64(index) + 1)
        case .queueEntry(let index, let chatRowID):
            guard index >= 0, index < 1 << Self.queueIndexBits, chatRowID > 0, chatRowID <= Self.maximumRowID >> Self.queueIndexBits else {
                return nil
            }
            return Self.compose(.queueEntry, chatRowID << Self.queueIndexBits | Int64(index))
        case .chatDirectory(let rowID): return Self.compose(.chatDirectory, rowID)
        case .mediaDirectory(let rowID): return Self.compose(.mediaDirectory, rowID)
        case .outboxDirectory(let rowID): return Self.compose(.outboxDirectory, rowID)
        case .messageFile(let rowID): return Self.compose(.messageFile, rowID)
        case .outboxFile(let rowID): return Self.compose(.outboxFile, rowID)
        case .mediaFile(let rowID): return Self.compose(.mediaFile, rowID)
        }
    }

    private static func compose(_ kind: Kind, _ rowID: Int64) -> UInt64? {
        guard rowID > 0, rowID <= maximumRowID else { return nil }
        return kind.rawValue << kindShift | UInt64(rowID)
    }
}
