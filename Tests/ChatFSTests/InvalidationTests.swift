import ChatCache
@testable import ChatFS
import ChatSync
import Testing

@Suite struct InvalidationTests {
    @Test func newMessagesInvalidateTheirNamesThenTheDirectoryAndTranscriptOnce() {
        let plan = Invalidation.plan(for: [
            .messagesAdded(chatRowID: 3, names: ["000001-alice.txt", "000002-bob.txt"], arrived: true),
            .messagesAdded(chatRowID: 3, names: ["000003-alice.txt"], arrived: true),
        ])
        let chat = InodeNumber.chatDirectory(chatRowID: 3)
        #expect(plan == [
            .entry(parent: chat, name: "000001-alice.txt"),
            .entry(parent: chat, name: "000002-bob.txt"),
            .entry(parent: chat, name: "000003-alice.txt"),
            .attributes(chat),
            .content(.transcriptFile(chatRowID: 3)),
        ])
    }

    @Test func removedMessagesInvalidateTheirNames() {
        let plan = Invalidation.plan(for: [.messagesRemoved(chatRowID: 9, names: ["000001-system.txt"])])
        let chat = InodeNumber.chatDirectory(chatRowID: 9)
        #expect(plan == [.entry(parent: chat, name: "000001-system.txt"), .attributes(chat), .content(.transcriptFile(chatRowID: 9))])
    }

    @Test func aRenamedChatInvalidatesBothNamesAndTheRoot() {
        let plan = Invalidation.plan(for: [
            .chatsChanged(added: [ChatName(rowID: 5, dirName: "New title")],
                          removed: [ChatName(rowID: 5, dirName: "Old title")]),
        ])
        #expect(plan.contains(.entry(parent: .root, name: "Old title")))
        #expect(plan.contains(.entry(parent: .root, name: "New title")))
        #expect(plan.contains(.attributes(.root)))
        // A row id may be reused: the added chat's directory must not keep an old listing.
        #expect(plan.contains(.attributes(.chatDirectory(chatRowID: 5))))
    }

    @Test func chatAttributeChangesInvalidateOnlyThatDirectorysAttributes() {
        // And `unread/`, whose listing the kernel keeps: the unread count may have changed.
        #expect(Invalidation.plan(for: [.chatChanged(rowID: 4)]) == [.attributes(.chatDirectory(chatRowID: 4)), .attributes(.unreadDirectory)])
    }

    @Test func statusChangesNeedNoInvalidation() {
        #expect(Invalidation.plan(for: [.statusChanged]).isEmpty)
    }
}

@Suite struct OutboxInvalidationTests {
    @Test func outboxChangesInvalidateTheOutboxDirectory() {
        let outbox = InodeNumber.outboxDirectory(chatRowID: 2)
        #expect(Invalidation.plan(for: [.outboxChanged(chatRowID: 2, names: ["hello.txt"])])
                == [.entry(parent: outbox, name: "hello.txt"), .attributes(outbox)])
        #expect(Invalidation.plan(for: [.outboxChanged(chatRowID: nil, names: ["hello.txt"])]).isEmpty)
    }
}

@Suite struct MediaInvalidationTests {
    @Test func mediaChangesInvalidateTheMediaDirectory() {
        let media = InodeNumber.mediaDirectory(chatRowID: 2)
        #expect(Invalidation.plan(for: [.mediaChanged(chatRowID: 2, names: ["a.jpg", "b.log"])])
                == [.entry(parent: media, name: "a.jpg"), .entry(parent: media, name: "b.log"), .attributes(media)])
    }
}
