import Foundation
import Testing
import TestSupport

/// Issue 9, P4: a cache that has had a chat list is served at once; the login and the chat
/// list come in behind it (docs/design.md, "Startup").
@Suite(.serialized, .enabled(if: MountSupport.available, "needs /dev/fuse, fusermount3 and built binaries"))
struct StartupTests {
    /// A cache of alice's chats, made by one online mount.
    func cachedChats(_ server: ReferenceServer) throws -> String {
        let cache = try makeTemporaryDirectory("chatfs-cache")
        let online = try ChatfsMount.start(server: server, cacheDirectory: cache)
        defer { online.stop() }
        #expect(try run(["ls", online.path("VPN ／ remote access")]).stdout.contains(".txt"))
        return cache
    }

    @Test func aCachedMountServesWhileTheServerHasNotAnswered() throws {
        let server = try ReferenceServer.start()
        defer { server.stop() }
        let cache = try cachedChats(server)
        // Every API call is held for 10 minutes (the mount's requests may take 20).
        try server.injectFault(["pathContains": "/api/v1/", "action": "delay", "delaySeconds": 600])
        let mount = try ChatfsMount.start(server: server, cacheDirectory: cache, extraArguments: ["--request-timeout", "1200"])
        defer { mount.stop() }
        #expect(try run(["ls", mount.mountPoint]).stdout.contains("Big history"))
        let chat = mount.path("VPN ／ remote access")
        let files = try run(["ls", chat]).stdout.split(separator: "\n").filter { $0.hasSuffix(".txt") }
        #expect(!files.isEmpty)
        #expect(try run(["cat"] + files.map { "\(chat)/\($0)" }).stdout.contains("VPN"))
        #expect(mount.log.contains("while it connects"), "\(mount.log)")
    }

    /// The decision for a refused login (an account made inactive, a revoked token) with a
    /// full cache: the cache stays served, the refusal is in the log and `chatfs status`.
    @Test func aRefusedLoginWithAFullCacheServesTheCacheAndSaysWhy() throws {
        let server = try ReferenceServer.start()
        defer { server.stop() }
        let cache = try cachedChats(server)
        try #require(try server.request("POST", "/_test/users/alice/active", json: #"{"active":false}"#).status == 200)
        try #require(try server.request("POST", "/_test/tokens/revoke").status == 200)
        let mountPoint = try TemporaryDirectory("chatfs-mnt")
        let mount = DetachedMount(mountPoint: mountPoint.path)
        defer { mount.stop() }
        let result = try run([Binaries.chatfs, "mount", mountPoint.path, "--server", server.url, "--user", "alice", "--cache-dir", cache])
        #expect(result.succeeded, "\(result.stderr)")
        #expect(result.stdout.contains("(serving the cache from 20"), "\(result.stdout)")
        #expect(try run(["ls", mountPoint.path]).stdout.contains("Big history"))
        #expect(try eventually {
            try run([Binaries.chatfs, "status", "--cache-dir", cache]).stdout.contains("Account is inactive")
        })
        let log = try String(contentsOfFile: cache + "/chatfs.log", encoding: .utf8)
        #expect(log.contains("Account is inactive") && log.contains("serving the cache from 20"), "\(log)")
        #expect(try run([Binaries.chatfs, "unmount", mountPoint.path]).succeeded)
        #expect(mount.waitUntilGone())
    }
}
