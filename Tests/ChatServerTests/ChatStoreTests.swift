import Testing

@testable import ChatServer

struct ChatStoreTests {
    @Test func sequenceOneIsTheRawTitleAndSequencesGrowByOne() async throws {
        let fixture = try await StoreFixture()
        let chat = try await fixture.chat(title: "Access to <shared> & co", messages: 3)
        let page = try await fixture.store.messagePage(chatID: chat, mode: .offset(page: 1, perPage: 50))
        #expect(page.messages.map(\.sequenceNumber) == [1, 2, 3, 4])
        #expect(page.messages[0].content == "Access to <shared> & co")
        #expect(page.messages[0].senderID == fixture.alice.id)
        #expect(page.totalCount == 4)
        #expect(page.newestSequence == 4)
    }

    @Test func repeatedClientTempIDReturnsTheOriginalWhenDeduplicating() async throws {
        let fixture = try await StoreFixture()
        let chat = try await fixture.chat()
        let first = try await fixture.store.appendMessage(
            chatID: chat, senderID: fixture.alice.id, content: "hello", clientTempID: "tmp-1", deduplicate: true)
        let retry = try await fixture.store.appendMessage(
            chatID: chat, senderID: fixture.alice.id, content: "hello", clientTempID: "tmp-1", deduplicate: true)
        #expect(first.isNew)
        #expect(!retry.isNew)
        #expect(retry.message == first.message)
        let page = try await fixture.store.messagePage(chatID: chat, mode: .delta(since: 0, limit: 100))
        #expect(page.totalCount == 2)
    }

    @Test func theSameClientTempIDInAnotherChatIsANewMessage() async throws {
        let fixture = try await StoreFixture()
        let first = try await fixture.chat(title: "one")
        let second = try await fixture.chat(title: "two")
        _ = try await fixture.store.appendMessage(
            chatID: first, senderID: fixture.alice.id, content: "x", clientTempID: "tmp", deduplicate: true)
        let other = try await fixture.store.appendMessage(
            chatID: second, senderID: fixture.alice.id, content: "x", clientTempID: "tmp", deduplicate: true)
        #expect(other.isNew)
    }

    @Test func legacyBehaviourStoresEveryRetry() async throws {
        let fixture = try await StoreFixture()
        let chat = try await fixture.chat()
        for _ in 0..<2 {
            let sent = try await fixture.store.appendMessage(
                chatID: chat, senderID: fixture.alice.id, content: "hello", clientTempID: "tmp-1", deduplicate: false)
            #expect(sent.isNew)
        }
        let page = try await fixture.store.messagePage(chatID: chat, mode: .delta(since: 1, limit: 100))
        #expect(page.messages.map(\.sequenceNumber) == [2, 3])
    }

    @Test func pagesSelectTheRightSequencesInAscendingOrder() async throws {
        let fixture = try await StoreFixture()
        let chat = try await fixture.chat(messages: 29)  // sequences 1...30
        func sequences(_ mode: MessageListingMode) async throws -> [Int64] {
            try await fixture.store.messagePage(chatID: chat, mode: mode).messages.map(\.sequenceNumber)
        }
        #expect(try await sequences(.delta(since: 25, limit: 3)) == [26, 27, 28])
        #expect(try await sequences(.range(start: 10, end: 12)) == [10, 11, 12])
        #expect(try await sequences(.cursor(before: nil, limit: 3)) == [28, 29, 30])
        #expect(try await sequences(.cursor(before: 5, limit: 10)) == [1, 2, 3, 4])
        #expect(try await sequences(.offset(page: 1, perPage: 4)) == [27, 28, 29, 30])
        #expect(try await sequences(.offset(page: 2, perPage: 4)) == [23, 24, 25, 26])
        #expect(try await sequences(.offset(page: 9, perPage: 4)) == [])
    }

    @Test func chatListShowsTheRequestersChatsNewestFirstWithPreviews() async throws {
        let fixture = try await StoreFixture()
        let older = try await fixture.chat(title: "older", messages: 1, createdAt: ServerTimestamp(microseconds: 1_000_000))
        let newer = try await fixture.chat(title: "newer", createdAt: ServerTimestamp(microseconds: 2_000_000))
        _ = try await fixture.store.createChat(title: "carol's", requesterID: fixture.carol.id)
        let list = try await fixture.store.chatList(requesterID: fixture.alice.id)
        #expect(list.map(\.chat.id) == [newer, older])
        let olderEntry = try #require(list.last)
        #expect(olderEntry.lastMessage?.sequenceNumber == 2)
        #expect(olderEntry.messageCount == 2)
        #expect(olderEntry.unreadCount == 1)  // bob's message; alice's own title does not count
    }

    @Test func markReadClearsUnreadAndReportsTheNewestMessageTime() async throws {
        let fixture = try await StoreFixture()
        let chat = try await fixture.chat(messages: 4)
        let before = try await fixture.store.unreadState(chatID: chat, userID: fixture.alice.id)
        #expect(before.unreadCount == 2)
        #expect(before.lastReadAt == nil)
        let marked = try await fixture.store.markRead(chatID: chat, userID: fixture.alice.id)
        #expect(marked.previousUnread == 2)
        let newest = try await fixture.store.messagePage(chatID: chat, mode: .cursor(before: nil, limit: 1))
        #expect(marked.markedAt == newest.messages.last?.createdAt)
        let after = try await fixture.store.unreadState(chatID: chat, userID: fixture.alice.id)
        #expect(after.unreadCount == 0)
        #expect(after.lastReadAt == marked.markedAt)
        _ = try await fixture.store.appendMessage(
            chatID: chat, senderID: fixture.bob.id, content: "new", clientTempID: nil, deduplicate: true)
        #expect(try await fixture.store.unreadState(chatID: chat, userID: fixture.alice.id).unreadCount == 1)
    }

    @Test func revokedAndExpiredTokensNoLongerAuthenticate() async throws {
        let fixture = try await StoreFixture()
        // Times given, not read from the clock: on a loaded machine these awaits have taken
        // longer than the token's minute (the CI run of 2026-12-01 late).
        let issued = ServerTimestamp.now()
        let token = try await fixture.store.issueToken(userID: fixture.alice.id, lifetimeSeconds: 60, now: issued)
        #expect(try await fixture.store.user(token: token, now: issued)?.username == "alice")
        let later = ServerTimestamp(microseconds: issued.microseconds + 61_000_000)
        #expect(try await fixture.store.user(token: token, now: later) == nil)
        #expect(try await fixture.store.revokeAllTokens() == 1)
        #expect(try await fixture.store.user(token: token) == nil)
    }

    @Test func mediaKeepsBytesSizeAndHash() async throws {
        let fixture = try await StoreFixture()
        let chat = try await fixture.chat()
        let bytes = Array("abc".utf8)
        let stored = try await fixture.store.insertMedia(
            ChatStore.NewMedia(
                kind: .chatFile, requestID: chat, originalFilename: "a.txt", storedFilename: "x_a.txt",
                mimeType: "text/plain", bytes: bytes))
        #expect(stored.fileSize == 3)
        #expect(stored.fileHash == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(try await fixture.store.mediaBytes(.chatFile, id: stored.id) == bytes)
        #expect(try await fixture.store.mediaList(.chatFile, requestID: chat).map(\.id) == [stored.id])
        #expect(try await fixture.store.mediaList(.screenshot, requestID: chat).isEmpty)
        let pending = try await fixture.store.insertMedia(
            ChatStore.NewMedia(
                kind: .screenshot, requestID: chat, originalFilename: "p.jpg",
                mimeType: "image/jpeg", uploadStatus: .pending, bytes: bytes))
        #expect(pending.fileHash == nil)
        #expect(try await fixture.store.screenshot(filename: "p.jpg")?.id == pending.id)
    }
}
