import Foundation
import Testing
import TestSupport

/// The config file's accounts: `chatfs mount work DIR`, flags over the file, `chatfs
/// config`, and a malformed file named with its line.
@Suite(.serialized, .enabled(if: MountSupport.available, "needs /dev/fuse, fusermount3 and built binaries"))
struct AccountTests {
    /// An XDG_CONFIG_HOME of the test's own with `config.toml` in it.
    struct Config {
        let home: TemporaryDirectory
        var environment: [String: String] { ["XDG_CONFIG_HOME": home.path] }

        init(_ text: String) throws {
            home = try TemporaryDirectory("chatfs-config")
            try FileManager.default.createDirectory(atPath: home.path + "/chatfs", withIntermediateDirectories: true)
            try text.write(toFile: home.path + "/chatfs/config.toml", atomically: true, encoding: .utf8)
        }
    }

    @Test func anAccountIsAllAMountNeedsAndFlagsOverrideIt() throws {
        let server = try ReferenceServer.start()
        defer { server.stop() }
        let mountPoint = try TemporaryDirectory("chatfs-mnt")
        let cache = try TemporaryDirectory("chatfs-cache")
        let config = try Config("""
            [accounts.work]
            server = "\(server.url)"
            user = "alice"
            mount-point = "\(mountPoint.path)"
            cache-dir = "\(cache.path)"
            poll = 30
            """)
        let mount = DetachedMount(mountPoint: mountPoint.path)
        defer { mount.stop() }

        let shown = try run([Binaries.chatfs, "config", "work", "--poll", "2"], environment: config.environment)
        #expect(shown.succeeded, "\(shown.stderr)")
        let lines = shown.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("server ") && $0.contains(server.url) && $0.hasSuffix("config.toml:2 [accounts.work]") },
                "\(shown.stdout)")
        #expect(lines.contains { $0.hasPrefix("poll ") && $0.contains("2 s") && $0.hasSuffix("command line") }, "\(shown.stdout)")
        #expect(lines.contains { $0.hasPrefix("request-timeout ") && $0.hasSuffix("default") }, "\(shown.stdout)")

        let mounted = try run([Binaries.chatfs, "mount", "work"], environment: config.environment)
        #expect(mounted.succeeded, "\(mounted.stderr)")
        #expect(try run(["ls", mountPoint.path]).stdout.contains("Big history"))
        #expect(try run([Binaries.chatfs, "status", "--cache-dir", cache.path]).stdout.contains("user:        alice"))
        #expect(try run([Binaries.chatfs, "unmount", mountPoint.path]).succeeded)
        #expect(mount.waitUntilGone())
    }

    @Test func aMalformedConfigFileIsAnErrorWithItsLine() throws {
        let config = try Config("[accounts.work]\nserver = \"https://x.example\"\npoll = = 3\n")
        let result = try run([Binaries.chatfs, "mount", "work", "/nonexistent"], environment: config.environment)
        #expect(result.status == 78, "\(result.stderr)")
        #expect(result.stderr.contains("chatfs/config.toml:3:"), "\(result.stderr)")
        let typo = try Config("[accounts.work]\nserver = \"https://x.example\"\nsever = \"y\"\n")
        let unknownKey = try run([Binaries.chatfs, "config", "work"], environment: typo.environment)
        #expect(unknownKey.status == 78 && unknownKey.stderr.contains("config.toml:3: unknown key \"sever\""), "\(unknownKey.stderr)")
    }

    @Test func anUnknownAccountListsTheKnownOnes() throws {
        let config = try Config("[accounts.work]\nserver = \"https://x.example\"\n")
        let result = try run([Binaries.chatfs, "mount", "home", "/nonexistent"], environment: config.environment)
        #expect(result.status == 78 && result.stderr.contains("no account \"home\"") && result.stderr.contains("work"),
                "\(result.stderr)")
    }
}
