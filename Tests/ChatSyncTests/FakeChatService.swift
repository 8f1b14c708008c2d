import ChatAPI
import Foundation
import Locking
@testable import ChatSync

/// An in-memory server of one chat that answers like either generation (delta: all
/// modes; legacy: cursor only, as the deployed backend), counting what it was asked.
final class FakeChatService: ChatService {
    struct State {
        var sequences: [Int] = []
        var queries: [MessageQuery] = []
        /// Sequences a delta answer leaves out (to provoke gap filling).
        var droppedFromDelta: Set<Int> = []
        /// The account was made inactive: every call is refused as its login would be.
        var loginRefused = false
        var chatListCalls: [ContinuousClock.Instant] = []
        /// The `If-None-Match` of each conditional chat-list call (nil: unconditional).
        var listTagsSent: [String?] = []
    }

    let generation: ServerGeneration
    let chatID = "c0ffee00-0000-4000-8000-000000000001"
    let state: Locked<State>
    /// The chat's attachments and what was asked of them (see FakeChatService+Media).
    let media = Locked(FakeMedia())

    init(generation: ServerGeneration, messages: ClosedRange<Int>) {
        self.generation = generation
        state = Locked(State(sequences: Array(messages)))
    }

    func append(_ range: ClosedRange<Int>) { state.withLock { $0.sequences += range } }
    func replaceHistory(with range: ClosedRange<Int>) { state.withLock { $0.sequences = Array(range) } }
    var queries: [MessageQuery] { state.withLock { $0.queries } }

    var newest: Int { state.withLock { $0.sequences.last ?? 0 } }

    /// Chat-list requests answered so far.
    var chatListCallCount: Int { state.withLock { $0.chatListCalls.count } }

    func chatList() throws -> [ChatSummary] {
        let refused = state.withLock { state in
            state.chatListCalls.append(.now)
            return state.loginRefused
        }
        if refused { throw APIError.authenticationFailed("Account is inactive") }
        let json = #"[{"id":"\#(chatID)","title":"Fake","createdAt":"2026-01-01T00:00:00Z","lastMessageSequence":\#(newest)}]"#
        return try Self.decoder.decode([ChatSummary].self, from: Data(json.utf8))
    }

    /// Tags the list as the delta generation does (here the tag is the newest sequence);
    /// the legacy fake, like the deployed backend, has no tags.
    func chatList(ifNoneMatch: String?) throws -> ChatListAnswer {
        state.withLock { $0.listTagsSent.append(ifNoneMatch) }
        let list = try chatList()
        guard generation == .delta else { return .list(list, etag: nil) }
        let tag = "\"\(list.first?.lastMessageSequence ?? 0)\""
        return ifNoneMatch == tag ? .unchanged : .list(list, etag: tag)
    }

    var listTagsSent: [String?] { state.withLock { $0.listTagsSent } }

    func detectGeneration(probeChatID: String) throws -> ServerGeneration { generation }




    func messages(chatID: String, _ query: MessageQuery) throws -> MessagePage {
        let (all, dropped, refused) = state.withLock { state in
            state.queries.append(query)
            return (state.sequences, state.droppedFromDelta, state.loginRefused)
        }
        if refused { throw APIError.authenticationFailed("Account is inactive") }
        var page: [Int]
        switch query {
        case .newest(let limit):
            page = Array(all.suffix(limit))
        case .before(let sequence, let limit):
            page = Array(all.filter { $0 < sequence }.suffix(limit))
        case .since(let sequence, let limit):
            precondition(generation == .delta, "the deployed backend ignores since_sequence")
            page = Array(all.filter { $0 > sequence && !dropped.contains($0) }.prefix(limit))
        case .range(let from, let through):
            precondition(generation == .delta, "the deployed backend has no range mode")
            page = all.filter { (from...through).contains($0) }
        }
        let messages = try page.map(message)
        let hasNewer = generation == .delta ? (page.last.map { last in all.contains { $0 > last } } ?? false) : nil
        return MessagePage(messages: messages, totalCount: all.count, oldestSequence: page.first,
                           hasMore: (page.first ?? 1) > 1, newestSequence: generation == .delta ? all.last : nil,
                           hasNewer: hasNewer)
    }

    private func message(_ sequence: Int) throws -> ChatMessage {
        let json = """
            {"id":"m\(sequence)","requestId":"\(chatID)","senderId":"u1","sender":{"id":"u1","username":"alice","fullName":"Alice"},
             "content":"message \(sequence) &amp; more","sequenceNumber":\(sequence),"createdAt":"2026-02-10T08:15:42.123456Z"}
            """
        return try Self.decoder.decode(ChatMessage.self, from: Data(json.utf8))
    }

    static let decoder = WireJSON.decoder()
}

extension FakeChatService {
    /// The fake serves a requester: the queue views refuse, as the server does.
    func technicianView(_ view: TechnicianView, page: Int, perPage: Int) throws -> TechnicianViewPage {
        throw APIError.permanent(status: 403, detail: "not a technician")
    }
}
