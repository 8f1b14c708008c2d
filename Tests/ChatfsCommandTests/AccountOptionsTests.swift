import ChatConfig
@testable import chatfs
import Testing

/// An account's settings become options before the user's own: the user's win.
struct AccountOptionsTests {
    static let config = try! ConfigFile(text: """
        [accounts.work]
        server = "https://support.example.com"
        user = "alice"
        poll = 30
        mount-point = "/home/alice/chats"
        """, path: "/cfg/config.toml", home: "/home/alice")

    @Test func whichOperandIsTheAccount() throws {
        #expect(try MountCommand.parse(["work", "/mnt"]).accountName(in: Self.config) == "work")
        #expect(try MountCommand.parse(["work"]).accountName(in: Self.config) == "work")
        #expect(try MountCommand.parse(["/mnt"]).accountName(in: Self.config) == nil)
        #expect(try MountCommand.parse(["work"]).accountName(in: nil) == nil)
    }

    @Test func flagsGivenHereOverrideTheFile() throws {
        let account = try Self.config.account(named: "work")
        let mount = try MountCommand.parse(account.arguments() + ["work", "/mnt", "--poll", "2"])
        #expect(mount.poll == 2)
        #expect(mount.connection.server == "https://support.example.com")
        #expect(mount.connection.user == "alice")
        #expect(mount.mountPoint == "/mnt")
    }

    @Test func prefetchTakesOnlyWhatItUses() throws {
        let account = try Self.config.account(named: "work")
        let prefetch = try PrefetchCommand.parse(account.arguments(forPrefetch: true) + ["--all", "--account", "work"])
        #expect(prefetch.connection.server == "https://support.example.com")
    }
}
