import ChatAPI
import Foundation
import Logging
import Testing
import TestSupport

/// The client against the real `chatfs-server`, in both generations. The suites nested
/// in this one (one file per topic) share one delta and one legacy server, started
/// before the first test and stopped after the last, failures included.
@Suite(.serialized, .referenceServers) struct ReferenceServerTests {
    static let generations: [ServerGeneration] = [.delta, .legacy]

    /// The shared server of this generation.
    static func server(_ generation: ServerGeneration) throws -> ReferenceServer {
        let servers = try #require(ReferenceServers.current, "run inside ReferenceServerTests")
        return generation == .delta ? servers.delta : servers.legacy
    }

    static func client(_ server: ReferenceServer, user: String = "alice", tokenStore: (any TokenStore)? = nil,
                       requestTimeout: Double = 20) throws -> ChatClient {
        try ChatClient(server: URL(string: server.url)!, credentials: .username(user), tokenStore: tokenStore,
                       requestTimeout: requestTimeout, logger: Logger(label: "ChatAPITests"))
    }

    /// A new chat of alice's with `count` messages: the title (sequence 1) and bob's
    /// "message 2" ... "message <count>".
    static func makeChat(on server: ReferenceServer, title: String = "Test chat", count: Int) throws -> String {
        let chatID = try server.createChat(title: title)
        for sequence in stride(from: 2, through: count, by: 1) {
            try #require(try server.post(chatID: chatID, sender: "bob", content: "message \(sequence)") == 201)
        }
        return chatID
    }
}

/// The servers the tests nested in `ReferenceServerTests` talk to.
struct ReferenceServers: Sendable {
    let delta: ReferenceServer
    let legacy: ReferenceServer

    @TaskLocal static var current: ReferenceServers?
}

/// Runs a suite with `ReferenceServers.current` set, and stops both servers (by their
/// PIDs) when the suite is over, however it ended.
struct ReferenceServersTrait: SuiteTrait, TestScoping {
    func provideScope(for test: Test, testCase: Test.Case?,
                      performing function: @Sendable () async throws -> Void) async throws {
        let delta = try ReferenceServer.start()
        defer { delta.stop() }
        let legacy = try ReferenceServer.start(legacy: true)
        defer { legacy.stop() }
        try await ReferenceServers.$current.withValue(ReferenceServers(delta: delta, legacy: legacy)) {
            try await function()
        }
    }
}

extension Trait where Self == ReferenceServersTrait {
    static var referenceServers: Self { Self() }
}
