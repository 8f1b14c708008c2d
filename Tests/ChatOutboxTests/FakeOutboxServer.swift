import ChatAPI
import ChatCache
@testable import ChatOutbox
import Foundation
import Locking
import Logging

/// A clock the tests move by hand.
final class TestClock: Sendable {
    private let current = Locked(Date(timeIntervalSince1970: 1_780_000_000))
    var now: Date { current.withLock { $0 } }
    func advance(to date: Date) { current.withLock { $0 = max($0, date) } }
    func advance(by seconds: TimeInterval) { current.withLock { $0 = $0.addingTimeInterval(seconds) } }
}

/// A server of one chat, answering like either generation, whose sends can be told to go
/// wrong in the ways that matter for "never twice": a message the server stores only some
/// seconds after the client gave up, one stored and never answered, one never stored.
final class FakeOutboxServer: OutboxService {
    enum SendBehaviour: Sendable {
        /// Stored and answered.
        case answer
        /// Stored, then the connection dropped before the answer.
        case dropAfterCommit
        /// No answer (the client's timeout); stored this many seconds after the client gave up.
        case commitAfterTimeout(TimeInterval)
        /// No answer, never stored.
        case neverCommit
        /// A success status with a body that does not decode: the server's own answer mangled
        /// after the commit (`stored`), or a page some proxy gave instead (not stored).
        case garbledAnswer(stored: Bool)
        /// Unreachable: nothing leaves.
        case offline
    }

    struct Stored {
        var sequence: Int
        var content: String
        var clientTempID: String?
        var createdAt: Date
        /// Visible from this time on (a late commit).
        var visibleAt: Date
    }

    private struct State {
        var stored: [Stored] = []
        var behaviours: [SendBehaviour] = []
        var sends = 0
        var down = false
    }

    let chatID = "c0ffee00-0000-4000-8000-000000000001"
    let deduplicates: Bool
    let clock: TestClock
    private let state = Locked(State())

    init(deduplicates: Bool, clock: TestClock) {
        self.deduplicates = deduplicates
        self.clock = clock
    }

    /// What the next sends do, in order (`.answer` once they run out).
    func script(_ behaviours: [SendBehaviour]) { state.withLock { $0.behaviours = behaviours } }
    /// Down for every request (a server down throughout).
    func setDown(_ down: Bool) { state.withLock { $0.down = down } }
    var sendCount: Int { state.withLock { $0.sends } }

    /// The stored copies of `text` the server shows now.
    func copies(of text: String) -> Int {
        let now = clock.now
        return state.withLock { $0.stored.filter { $0.content == text && $0.visibleAt <= now }.count }
    }

    func send(_ message: OutgoingMessage) throws -> ChatMessage {
        let now = clock.now
        let (behaviour, stored) = try state.withLock { state throws -> (SendBehaviour, Stored?) in
            if state.down { throw APIError.offline("connection refused") }
            let behaviour = state.behaviours.isEmpty ? .answer : state.behaviours.removeFirst()
            if case .offline = behaviour { throw APIError.offline("connection refused") }
            state.sends += 1
            if deduplicates, let id = message.clientTempID, let existing = state.stored.first(where: { $0.clientTempID == id }) {
                return (.answer, existing)
            }
            let visibleAt: Date
            switch behaviour {
            case .answer, .dropAfterCommit, .offline, .garbledAnswer(stored: true): visibleAt = now
            case .commitAfterTimeout(let delay): visibleAt = now.addingTimeInterval(delay)
            case .neverCommit, .garbledAnswer(stored: false): return (behaviour, nil)
            }
            let stored = Stored(sequence: (state.stored.map(\.sequence).max() ?? 1) + 1, content: message.content,
                                clientTempID: message.clientTempID, createdAt: visibleAt, visibleAt: visibleAt)
            state.stored.append(stored)
            return (behaviour, stored)
        }
        switch behaviour {
        case .answer, .offline: return try wire(stored!)
        case .dropAfterCommit: throw APIError.ambiguous("connection closed mid-answer")
        case .commitAfterTimeout, .neverCommit: throw APIError.noAnswer("timed out")
        case .garbledAnswer: throw APIError.malformed("the answer is not JSON")
        }
    }

    func messages(chatID: String, _ query: MessageQuery) throws -> MessagePage {
        let now = clock.now
        let visible = try state.withLock { state throws -> [Stored] in
            if state.down { throw APIError.offline("connection refused") }
            return state.stored.filter { $0.visibleAt <= now }.sorted { $0.sequence < $1.sequence }
        }
        return MessagePage(messages: try visible.map(wire))
    }

    func chatFiles(chatID: String) throws -> [ChatFile] { [] }
    func screenshots(chatID: String) throws -> [Screenshot] { [] }
    func upload(_ kind: MediaKind, chatID: String, fileName: String, mimeType: String, contents: Data) throws -> MediaInfo {
        throw APIError.permanent(status: 501, detail: "no uploads here")
    }
    func take(requestID: String) throws -> HelpDeskRequest { throw APIError.permanent(status: 403, detail: "not a technician") }
    func technicianView(_ view: TechnicianView, page: Int, perPage: Int) throws -> TechnicianViewPage {
        throw APIError.permanent(status: 403, detail: "not a technician")
    }
    func markRead(chatID: String) throws -> MarkReadResponse { throw APIError.offline("not used") }

    /// The message as the server answers it; the deployed generation echoes no clientTempId.
    private func wire(_ stored: Stored) throws -> ChatMessage {
        let formatter = ISO8601DateFormatter()
        let tempID = deduplicates ? stored.clientTempID.map { #""\#($0)""# } ?? "null" : "null"
        let json = """
            {"id":"m-\(stored.sequence)","requestId":"\(chatID)","senderId":"u-alice",
             "sender":{"id":"u-alice","username":"alice","fullName":"Alice"},
             "content":\(String(decoding: try JSONEncoder().encode(stored.content), as: UTF8.self)),
             "sequenceNumber":\(stored.sequence),"clientTempId":\(tempID),"createdAt":"\(formatter.string(from: stored.createdAt))"}
            """
        return try WireJSON.decoder().decode(ChatMessage.self, from: Data(json.utf8))
    }
}

extension FakeOutboxServer {
    /// A cache in `directory` holding this server's chat, and an outbox over it whose clock
    /// is `clock` (not started: tests run the sender's passes themselves).
    func makeOutbox(in directory: URL, clock: TestClock, sendDelay: Duration = .zero) throws -> Outbox {
        let logger = Logger(label: "chatfs-tests")
        let cache = try ChatCache(directory: directory, logger: logger)
        _ = try cache.applyChatList([ChatListEntry(id: chatID, title: "Fake", status: "Open", createdAt: clock.now,
                                                   lastMessageAt: nil, lastMessageSequence: 1, unreadCount: 0)])
        try cache.setMeta(.generation, deduplicates ? "delta" : "legacy")
        var configuration = OutboxConfiguration(sendDelay: sendDelay)
        configuration.now = { [clock] in clock.now }
        return Outbox(cache: cache, service: self, username: "alice", configuration: configuration, changes: ChangeFeed(),
                      logger: logger)
    }
}
