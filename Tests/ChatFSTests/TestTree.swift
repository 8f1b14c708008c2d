import ChatAPI
import ChatCache
@testable import ChatFS
import ChatOutbox
import ChatSync
import CFuse
import Foundation
import Logging
import Testing

/// A real cache in a temporary directory with one chat of `messageCount` messages, and a
/// filesystem over it (never mounted: handlers are called directly) with a fake sync and a
/// real outbox whose sender runs only in tests that start it.
final class TestTree {
    let directory: URL
    let cache: ChatCache
    let filesystem: ChatFilesystem
    let outbox: Outbox
    let sync: FakeTreeSync
    let chat: ChatRecord

    init(messageCount: Int, service: any OutboxService = NoServer()) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("chatfs-tests-\(UUID().uuidString)")
        let logger = Logger(label: "chatfs-tests")
        cache = try ChatCache(directory: directory, logger: logger)
        _ = try cache.applyChatList([Self.chatEntry(id: "a1b2c3d4-0000-4000-8000-000000000001", title: "Printer / broken")])
        guard let chat = try cache.chats().first else { throw TestTreeError.noChat }
        self.chat = chat
        try cache.storeMessages((1...messageCount).map(Self.message), chatRowID: chat.rowID)
        // Synced already: visits return at once and never reach the (absent) server.
        _ = try cache.updateSyncState(chatRowID: chat.rowID) { $0.firstSyncedAt = Date() }
        let changes = ChangeFeed()
        sync = FakeTreeSync(cache: cache)
        // No send window: a test that starts the sender sees it send at once.
        outbox = Outbox(cache: cache, service: service, username: "alice", configuration: OutboxConfiguration(sendDelay: .zero),
                        changes: changes, logger: logger)
        filesystem = ChatFilesystem(cache: cache, sync: sync, outbox: outbox, changes: changes, logger: logger)
    }

    deinit {
        try? FileManager.default.removeItem(at: directory)
    }

    static func chatEntry(id: String, title: String) -> ChatListEntry {
        ChatListEntry(id: id, title: title, status: "Open", createdAt: Date(timeIntervalSince1970: 1_770_000_000),
                      lastMessageAt: Date(timeIntervalSince1970: 1_770_500_000), lastMessageSequence: 0, unreadCount: 3)
    }

    static func message(_ sequence: Int) -> IncomingMessage {
        IncomingMessage(id: "m-\(sequence)", sequence: sequence, senderUsername: ["alice", "bob", nil][sequence % 3],
                        senderFullName: nil, createdAt: Date(timeIntervalSince1970: 1_770_000_000 + Double(sequence) * 60.25),
                        text: "message \(sequence) & more", clientTempID: nil)
    }

    func messages() throws -> [MessageRecord] {
        try cache.messages(chatRowID: chat.rowID, afterSequence: 0, limit: Int.max)
    }

    var chatInode: UInt64 { InodeNumber.chatDirectory(chatRowID: chat.rowID).rawValue! }
}

enum TestTreeError: Error { case noChat }

/// The server stand-in: unreachable for everything, but for `send` when a test says what
/// it does (the engine runs only in tests that start it).
struct NoServer: OutboxService {
    struct Unreachable: Error {}
    var onSend: @Sendable (OutgoingMessage) throws -> ChatMessage = { _ in throw Unreachable() }

    func messages(chatID: String, _ query: MessageQuery) throws -> MessagePage { throw Unreachable() }
    func send(_ message: OutgoingMessage) throws -> ChatMessage { try onSend(message) }
    func take(requestID: String) throws -> HelpDeskRequest { throw APIError.permanent(status: 403, detail: "not a technician") }
    func technicianView(_ view: TechnicianView, page: Int, perPage: Int) throws -> TechnicianViewPage {
        throw APIError.permanent(status: 403, detail: "not a technician")
    }
    func markRead(chatID: String) throws -> MarkReadResponse { throw Unreachable() }
    func chatFiles(chatID: String) throws -> [ChatFile] { throw Unreachable() }
    func screenshots(chatID: String) throws -> [Screenshot] { throw Unreachable() }
    func upload(_ kind: MediaKind, chatID: String, fileName: String, mimeType: String, contents: Data) throws -> MediaInfo {
        throw Unreachable()
    }
}

/// FuseReply cases reduced to what tests compare.
enum Reply {
    case error(Int32), entry(fuse_entry_param), attributes(stat, Double), open(fuse_file_info), bytes([UInt8]), size(Int), statfs
    case created(fuse_entry_param, fuse_file_info), written(Int), link(String), poll(UInt32), deferred

    init(_ reply: FuseReply) {
        switch reply {
        case .error(let code): self = .error(code)
        case .entry(let entry): self = .entry(entry)
        case .attributes(let attributes, let timeout): self = .attributes(attributes, timeout)
        case .open(let info): self = .open(info)
        case .bytes(let bytes): self = .bytes(bytes)
        case .extendedAttributeSize(let size): self = .size(size)
        case .statfs: self = .statfs
        case .created(let entry, let info): self = .created(entry, info)
        case .written(let count): self = .written(count)
        case .link(let target): self = .link(target)
        case .poll(let revents): self = .poll(revents)
        case .deferred: self = .deferred
        }
    }

    var errorCode: Int32? { if case .error(let code) = self { code } else { nil } }
    var entry: fuse_entry_param? { if case .entry(let entry) = self { entry } else { nil } }
    var bytes: [UInt8]? { if case .bytes(let bytes) = self { bytes } else { nil } }
    var openInfo: fuse_file_info? { if case .open(let info) = self { info } else { nil } }
}

/// One entry of a readdir reply as the kernel decodes it (struct fuse_dirent, preceded by a
/// 128-byte struct fuse_entry_out for readdirplus).
struct ListedEntry: Equatable {
    var name: String
    var inode: UInt64
    var nextOffset: Int64
    /// readdirplus only: the inode the kernel takes a lookup reference on (0: none).
    var lookupInode: UInt64?
}

func decodeDirectoryBuffer(_ bytes: [UInt8], withAttributes: Bool) -> [ListedEntry] {
    func integer<T: FixedWidthInteger>(_ type: T.Type, at offset: Int) -> T {
        bytes[offset..<offset + MemoryLayout<T>.size].reversed().reduce(0) { $0 << 8 | T($1) }
    }
    var entries: [ListedEntry] = []
    var position = 0
    while position < bytes.count {
        var lookupInode: UInt64?
        if withAttributes {
            lookupInode = integer(UInt64.self, at: position)
            position += 128
        }
        let nameLength = Int(integer(UInt32.self, at: position + 16))
        let name = String(decoding: bytes[(position + 24)..<(position + 24 + nameLength)], as: UTF8.self)
        entries.append(ListedEntry(name: name, inode: integer(UInt64.self, at: position),
                                   nextOffset: Int64(bitPattern: integer(UInt64.self, at: position + 8)),
                                   lookupInode: lookupInode))
        position += (24 + nameLength + 7) / 8 * 8
    }
    return entries
}

/// libfuse's fuse_add_direntry(_plus) ignore the request (they only fill the buffer), so a
/// listing can be produced without a kernel.
var placeholderRequest: fuse_req_t { OpaquePointer(bitPattern: 0x1)! }
