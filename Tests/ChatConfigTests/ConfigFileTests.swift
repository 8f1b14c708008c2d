@testable import ChatConfig
import Testing

struct ConfigFileTests {
    static let home = "/home/alice"

    func parse(_ text: String) throws(ConfigError) -> ConfigFile {
        try ConfigFile(text: text, path: "/cfg/config.toml", home: Self.home)
    }

    @Test func accountsBecomeOptionsInKeyOrderWithPathsExpanded() throws {
        let config = try parse("""
            # two accounts
            [accounts.work]
            poll = 10
            server = "https://support.example.com"
            user = "alice"
            mount-point = "~/chats"
            cache-size = "2G"
            send-delay = 0.5
            ca-file = "/etc/ssl/private-ca.pem"
            allow-insecure-http = false

            [accounts.lab]
            server = "http://127.0.0.1:8080"
            token-file = "~/.config/chatfs/lab.token"
            allow-insecure-http = true
            cache-size = 1048576
            """)
        #expect(config.accountNames == ["lab", "work"])
        let work = try config.account(named: "work")
        #expect(work.mountPoint == "/home/alice/chats")
        #expect(work.arguments() == [
            "--server=https://support.example.com", "--user=alice", "--cache-size=2G", "--poll=10", "--send-delay=0.5",
            "--ca-file=/etc/ssl/private-ca.pem",
        ])
        #expect(work.arguments(forPrefetch: true) == [
            "--server=https://support.example.com", "--user=alice", "--ca-file=/etc/ssl/private-ca.pem",
        ])
        #expect(work.settings[.poll]?.line == 3)
        let lab = try config.account(named: "lab")
        #expect(lab.arguments() == [
            "--server=http://127.0.0.1:8080", "--token-file=/home/alice/.config/chatfs/lab.token", "--cache-size=1048576",
            "--allow-insecure-http",
        ])
    }

    @Test func aSyntaxErrorNamesItsLineAndColumn() {
        #expect {
            try parse("[accounts.work]\nserver = \"https://x\"\npoll = = 3\n")
        } throws: { error in
            guard case .syntax(_, 3, _, _) = error as? ConfigError else { return false }
            return "\(error)".hasPrefix("/cfg/config.toml:3:")
        }
    }

    @Test func anUnknownKeyIsRefusedWithItsLine() {
        #expect {
            try parse("[accounts.work]\nserver = \"https://x\"\n\nsever = \"typo\"\n")
        } throws: { error in
            "\(error)".hasPrefix("/cfg/config.toml:4: unknown key \"sever\" in [accounts.work]")
        }
    }

    @Test func aValueOfTheWrongKindIsRefusedWithItsLine() {
        #expect(throws: ConfigError.invalid(path: "/cfg/config.toml", line: 2, message: "poll in [accounts.w]: must be a number of seconds (or days), 0 or more")) {
            try parse("[accounts.w]\npoll = \"often\"\n")
        }
        #expect(throws: ConfigError.invalid(path: "/cfg/config.toml", line: 3, message: "cache-dir in [accounts.w]: must be absolute or start with ~/ (got \"cache\")")) {
            try parse("[accounts.w]\n\ncache-dir = \"cache\"\n")
        }
    }

    @Test func keysOutsideAccountsAndOddNamesAreRefused() {
        #expect(throws: ConfigError.self) { try parse("server = \"https://x\"\n") }
        #expect(throws: ConfigError.self) { try parse("[accounts.\"my/work\"]\nuser = \"a\"\n") }
        #expect(throws: ConfigError.self) { try parse("[accounts]\nwork = 3\n") }
    }

    @Test func anUnknownAccountListsTheKnownOnes() throws {
        let config = try parse("[accounts.work]\nuser = \"a\"\n")
        #expect(throws: ConfigError.unknownAccount(path: "/cfg/config.toml", name: "home", known: ["work"])) {
            try config.account(named: "home")
        }
    }

    @Test func theFileLivesUnderXDGConfigHome() {
        #expect(ConfigFile.defaultPath(environment: ["XDG_CONFIG_HOME": "/x"], home: "/h") == "/x/chatfs/config.toml")
        #expect(ConfigFile.defaultPath(environment: ["XDG_CONFIG_HOME": "relative"], home: "/h") == "/h/.config/chatfs/config.toml")
        #expect(ConfigFile.defaultPath(environment: [:], home: "/h") == "/h/.config/chatfs/config.toml")
    }

    @Test func noFileIsNoConfig() throws {
        #expect(try ConfigFile.load(path: "/nonexistent/chatfs/config.toml") == nil)
    }
}
