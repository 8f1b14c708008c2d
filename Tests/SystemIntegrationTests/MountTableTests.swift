import SystemIntegration
import Testing

struct MountTableTests {
    static let sample = """
        22 1 0:21 / / rw,relatime shared:1 - overlay overlay rw,lowerdir=/l
        30 22 0:25 / /tmp rw,nosuid,nodev - tmpfs tmpfs rw
        41 30 0:40 / /tmp/chats rw,nosuid,nodev,relatime shared:7 master:3 - fuse.chatfs chatfs rw,user_id=0,group_id=0
        42 41 0:41 / /tmp/chats rw,nosuid,nodev,relatime - fuse.chatfs chatfs rw,user_id=0,group_id=0
        43 30 0:42 / /tmp/my\\040chats\\134x rw - fuse.sshfs bob@host:/ rw
        garbage line
        """

    @Test func parsesFieldsAroundTheOptionalOnes() {
        let table = MountTable(text: Self.sample)
        #expect(table.entries.count == 5)
        #expect(table.entries[2] == MountEntry(mountID: 41, parentID: 30, mountPoint: "/tmp/chats", fileSystemType: "fuse.chatfs",
                                               source: "chatfs", device: MountEntry.Device(major: 0, minor: 40)))
    }

    @Test func aFuseMountsConnectionIsItsDeviceNumberInTheKernelsEncoding() throws {
        let table = MountTable(text: Self.sample + "\n44 30 0:300 / /tmp/more rw - fuse.chatfs chatfs rw\n")
        #expect(try #require(FuseConnection(table.entries[2])).abortPath == "/sys/fs/fuse/connections/40/abort")
        // fusectl prints the kernel's dev_t (major << 20 | minor), not st_dev's encoding.
        #expect(try #require(FuseConnection(table.entries[5])).number == 300)
        #expect(FuseConnection(MountEntry(mountID: 1, parentID: 0, mountPoint: "/x", fileSystemType: "fuse.chatfs",
                                          source: "chatfs")) == nil)
    }

    @Test func decodesTheKernelsOctalEscapes() {
        let table = MountTable(text: Self.sample)
        #expect(table.entries[4].mountPoint == "/tmp/my chats\\x")
        #expect(table.entries[4].source == "bob@host:/")
    }

    @Test func stackedMountsAreListedBottomFirst() {
        let table = MountTable(text: Self.sample)
        #expect(table.mounts(at: "/tmp/chats").map(\.mountID) == [41, 42])
        #expect(table.mounts(at: "/tmp/chat").isEmpty)
    }

    @Test func theMountHoldingAPathIsTheLongestMatchOnTop() {
        let table = MountTable(text: Self.sample)
        #expect(table.mount(containing: "/tmp/chats/Big history/000001-alice.txt")?.mountID == 42)
        #expect(table.mount(containing: "/tmp/chats")?.mountID == 42)
        #expect(table.mount(containing: "/tmp/chatsX/file")?.mountID == 30)
        #expect(table.mount(containing: "/etc/passwd")?.mountID == 22)
    }

    @Test func theRealTableHasARoot() throws {
        #expect(try MountTable.current().mount(containing: "/")?.mountPoint == "/")
    }
}
