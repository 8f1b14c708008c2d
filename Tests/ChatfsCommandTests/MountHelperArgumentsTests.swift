@testable import chatfs
import Testing

/// mount(8) → mount.fuse3 → `chatfs SOURCE DIR -o OPTIONS`, turned into `chatfs mount`.
struct MountHelperArgumentsTests {
    static let subcommands: Set<String> = ["mount", "status", "help"]

    func rewrite(_ arguments: [String]) -> [String] {
        MountHelperArguments.rewrite(arguments, subcommands: Self.subcommands)
    }

    @Test func theSourceIsAnAccountAndFstabsOwnOptionsAreDropped() {
        #expect(rewrite(["work", "/home/a/chats", "-o", "rw,nosuid,nodev,noauto,user=a,_netdev,x-systemd.automount,nofail,user"])
                == ["mount", "work", "/home/a/chats", "-o", "rw,nosuid,nodev"])
    }

    @Test func settingsTravelAsOptionsAndUsernameIsTheChatUser() {
        #expect(rewrite(["chats", "/mnt", "-o", "server=https://s.example,username=alice,poll=2,allow-insecure-http,allow_other,nonempty"])
                == ["mount", "/mnt", "--server=https://s.example", "--user=alice", "--poll=2", "--allow-insecure-http",
                    "-o", "allow_other,nonempty"])
    }

    @Test func accountInTheOptionsWinsOverTheSource() {
        #expect(rewrite(["anything", "/mnt", "-oaccount=work,ro", "--detached-child"])
                == ["mount", "work", "/mnt", "-o", "ro", "--detached-child"])
    }

    @Test func commandLinesOfChatfsItselfAreLeftAlone() {
        for arguments in [["mount", "/mnt", "--server", "x"], ["status"], ["--version"], ["help", "mount"], ["/mnt"]] {
            #expect(rewrite(arguments) == arguments)
        }
    }
}
