import Checksum
import Foundation
import Testing

@testable import ChatServer

@Suite(.serialized)
struct DemoDataTests {
    // Seeding speed is measured by scripts/bench, not asserted here: a timed unit test on
    // 2 shared cores only measures the load.
    private static func seededStore() async throws -> ChatStore {
        let store = ChatStore(database: try ServerDatabase.open(path: nil))
        try await DemoData.seed(into: store)
        return store
    }

    @Test func seedsTheDocumentedUsersAndChats() async throws {
        let store = try await Self.seededStore()
        let alice = try #require(try await store.user(username: "alice"))
        #expect(alice.fullName == "Alice Example" && !alice.isTechnician)
        #expect(try await store.user(username: "bob")?.isTechnician == true)
        #expect(try await store.user(username: "dave")?.isActive == false)
        let carol = try #require(try await store.user(username: "carol"))

        let chats = try await store.chatList(requesterID: alice.id)
        #expect(chats.count >= 20)
        let titles = chats.map(\.chat.title)
        #expect(titles.contains("VPN / remote access"))
        #expect(titles.contains(".."))
        #expect(titles.filter { $0 == "Printer not working" }.count == 2)
        #expect(titles.contains { $0.utf8.count == 300 })
        #expect(titles.contains { $0.unicodeScalars.contains { $0.properties.isEmojiPresentation } })
        #expect(chats.filter { $0.chat.status.countAsSolved }.count == 1)
        let big = try #require(chats.first { $0.chat.title == "Big history" })
        #expect(big.messageCount == DemoData.bigHistoryMessageCount)
        #expect(big.lastMessage?.sequenceNumber == Int64(DemoData.bigHistoryMessageCount))

        let carolsChats = try await store.chatList(requesterID: carol.id)
        #expect(carolsChats.count == 2)
        #expect(Set(carolsChats.map(\.chat.id)).isDisjoint(with: chats.map(\.chat.id)))
    }

    @Test func storesTrickyContentSanitizedAndBothTimestampForms() async throws {
        let store = try await Self.seededStore()
        let alice = try #require(try await store.user(username: "alice"))
        let chats = try await store.chatList(requesterID: alice.id)
        let tricky = try #require(chats.first { $0.chat.title.hasPrefix("Access to <shared>") })
        let messages = try await store.messagePage(chatID: tricky.chat.id, mode: .range(start: 1, end: 100)).messages
        let contents = messages.map(\.content)
        #expect(contents[0] == "Access to <shared> folder & reports")  // the title stays raw
        #expect(contents.contains("Math still works: 5 &gt; 3 &amp; 2 &lt; 4"))
        #expect(contents.contains { $0.contains("<b>bold</b>") })
        #expect(contents.contains("Please check the permissions"))
        #expect(!contents.contains { $0.contains("script") })
        #expect(messages.contains { $0.senderID == nil && $0.content.contains("|") })

        let big = try #require(chats.first { $0.chat.title == "Big history" })
        let page = try await store.messagePage(chatID: big.chat.id, mode: .delta(since: 0, limit: 500))
        let rendered = page.messages.map(\.createdAt.apiString)
        #expect(rendered.contains { $0.count == "2026-02-10T08:15:42Z".count })
        #expect(rendered.contains { $0.count == "2026-02-10T08:15:42.123456Z".count })
        #expect(page.messages.map(\.createdAt) == page.messages.map(\.createdAt).sorted())
    }

    @Test func mediaHaveValidBytesHashesAndStates() async throws {
        let store = try await Self.seededStore()
        let alice = try #require(try await store.user(username: "alice"))
        var screenshots: [MediaRecord] = []
        var files: [MediaRecord] = []
        for entry in try await store.chatList(requesterID: alice.id) {
            screenshots += try await store.mediaList(.screenshot, requestID: entry.chat.id)
            files += try await store.mediaList(.chatFile, requestID: entry.chat.id)
        }
        #expect(screenshots.count >= 2 && files.count >= 3)
        #expect(screenshots.contains { $0.uploadStatus == .pending && $0.fileHash == nil })
        #expect((screenshots + files).contains { $0.isCorrupted })
        for screenshot in screenshots {
            let bytes = try #require(try await store.mediaBytes(.screenshot, id: screenshot.id))
            #expect(bytes.starts(with: [0xFF, 0xD8, 0xFF, 0xE0]) && bytes.suffix(2) == [0xFF, 0xD9])
            #expect(screenshot.storedFilename.wholeMatch(of: /[0-9a-f]{8}_[a-z-]+_[0-9a-f]{8}\.jpg/) != nil)
        }
        for media in (screenshots + files) where media.uploadStatus != .pending {
            let bytes = try #require(try await store.mediaBytes(media.kind, id: media.id))
            #expect(Int64(bytes.count) == media.fileSize)
            #expect(try SHA256Digest.hex(of: bytes) == media.fileHash)
        }
        #expect(try SHA256Digest.hex(of: DemoMedia.pdf) == "29388b0cefbc4c4d545b3fb09955e30c8fd20e2a997dff795f26ac94634cd98b")
        #expect(try SHA256Digest.hex(of: DemoMedia.png) == "b501ff774219223642477fd59fbbf9f3daa61461ae08659fb2abff57efe2e2ee")
    }

    @Test func seedingIsDeterministic() async throws {
        let first = try await Self.seededStore()
        let second = try await Self.seededStore()
        func snapshot(_ store: ChatStore) async throws -> [String] {
            let alice = try #require(try await store.user(username: "alice"))
            var result: [String] = [alice.id]
            for entry in try await store.chatList(requesterID: alice.id) {
                let page = try await store.messagePage(chatID: entry.chat.id, mode: .cursor(before: nil, limit: 5))
                result += [entry.chat.id] + page.messages.map { "\($0.id) \($0.createdAt.apiString) \($0.content)" }
            }
            return result
        }
        #expect(try await snapshot(first) == snapshot(second))
    }
}
