import ChatAPI
import ChatCache
import Foundation
import Logging
import Locking
import Testing
import TestSupport
@testable import ChatSync

/// Defect: with a visited chat over the quota, the log repeated a warning ~8 times a second.
struct QuotaKeeperTests {
    /// Keeps what was logged at notice and above.
    final class LogRecorder: Sendable {
        let lines = Locked<[String]>([])

        var logger: Logger {
            Logger(label: "test") { _ in Handler(recorder: self) }
        }

        struct Handler: LogHandler {
            let recorder: LogRecorder
            var metadata: Logger.Metadata = [:]
            var logLevel: Logger.Level = .notice

            subscript(metadataKey key: String) -> Logger.Metadata.Value? {
                get { metadata[key] }
                set { metadata[key] = newValue }
            }

            func log(event: LogEvent) {
                recorder.lines.withLock { $0.append("\(event.level): \(event.message)") }
            }
        }
    }

    @Test func beingStuckAboveTheQuotaIsLoggedOnceAndSoIsItsEnd() throws {
        let directory = try TemporaryDirectory("chatfs-quota-test")
        let cache = try ChatCache(directory: URL(fileURLWithPath: directory.path), logger: Logger(label: "test"))
        let service = FakeChatService(generation: .delta, messages: 1...50)
        _ = try cache.applyChatList(service.chatList().map(ChatListEntry.init))
        let chat = try #require(try cache.chats().first)
        try cache.storeMessages(service.messages(chatID: chat.id, .newest(limit: 50)).messages.map(IncomingMessage.init),
                                chatRowID: chat.rowID)
        try cache.setQuota(bytes: 100)
        // A chat in use keeps its messages: nothing may be evicted.
        let tracker = AccessTracker()
        tracker.chatAccessed(chat.rowID)
        let recorder = LogRecorder()
        let keeper = QuotaKeeper(cache: cache, tracker: tracker, openFiles: OpenMediaFiles(), changes: ChangeFeed(),
                                 logger: recorder.logger)
        for _ in 0..<20 { keeper.enforce() }
        #expect(recorder.lines.withLock { $0 }.count == 1)
        #expect(recorder.lines.withLock { $0.first }?.contains("nothing can be evicted") == true)

        try cache.setQuota(bytes: 1 << 30)
        for _ in 0..<5 { keeper.enforce() }
        #expect(recorder.lines.withLock { $0 }.count == 2)
        #expect(recorder.lines.withLock { $0.last }?.contains("within its quota again") == true)
    }
}
