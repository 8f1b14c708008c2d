import ChatAPI
import Dispatch
import Locking

/// A page of messages requested on a queue of its own, so that the next page of a backfill
/// travels while the one before it is written (docs/design.md, "Ingest").
final class PageRequest: Sendable {
    private static let queue = DispatchQueue(label: "chatfs.sync.page-ahead", attributes: .concurrent)

    private let answer = Locked<Result<MessagePage, any Error>?>(nil)
    private let answered = DispatchSemaphore(value: 0)

    /// Sends the request now.
    init(service: any ChatService, chatID: String, query: MessageQuery) {
        Self.queue.async { [self] in
            let result = Result { try service.messages(chatID: chatID, query) }
            answer.withLock { $0 = result }
            answered.signal()
        }
    }

    /// The answer, waiting for it (the request's own timeouts bound the wait).
    func page() throws -> MessagePage {
        answered.wait()
        defer { answered.signal() }  // a second call gets the same answer
        return try answer.withLock { $0 }!.get()
    }
}
