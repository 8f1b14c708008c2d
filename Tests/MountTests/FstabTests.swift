import Foundation
import Testing
import TestSupport

/// `mount -t fuse.chatfs` and fstab lines, for real: mount(8) runs mount.fuse3, which runs
/// `chatfs SOURCE DIR -o OPTIONS`. mount(8) gives helpers a fixed PATH (/usr/local/bin...),
/// so each test runs in a mount namespace of its own where a temporary directory holding
/// `chatfs` is bind-mounted over /usr/local/bin: nothing of the machine's is touched, and
/// the FUSE mount is seen only inside the namespace.
@Suite(.serialized, .enabled(if: MountSupport.available, "needs /dev/fuse, fusermount3 and built binaries"))
struct FstabTests {
    /// Runs `mount ...`, `ls`, `umount` in a private mount namespace; returns the listing.
    func mountAndList(source: String, options: String, environment: [String: String] = [:]) throws -> (listing: CommandResult, mountPoint: String) {
        let bin = try TemporaryDirectory("chatfs-bin")
        try FileManager.default.createSymbolicLink(atPath: bin.path + "/chatfs", withDestinationPath: Binaries.chatfs)
        let mountPoint = try TemporaryDirectory("chatfs-mnt")
        let mount = DetachedMount(mountPoint: mountPoint.path)
        defer { mount.stop() }
        let script = """
            set -e
            mount --bind "$1" /usr/local/bin
            mount -t fuse.chatfs "$2" "$3" -o "$4"
            grep -q " $3 .* - fuse.chatfs " /proc/self/mountinfo
            ls "$3"
            umount "$3"
            """
        let result = try run(["unshare", "--mount", "--propagation", "private", "sh", "-c", script, "sh", bin.path, source,
                              mountPoint.path, options], environment: environment)
        #expect(eventually(timeout: 20) { mount.daemon == nil }, "umount ends the daemon")
        return (result, mountPoint.path)
    }

    @Test func settingsInTheOptionsMountWithFstabsOwnOptionsIgnored() throws {
        let server = try ReferenceServer.start()
        defer { server.stop() }
        let cache = try TemporaryDirectory("chatfs-cache")
        let (listing, _) = try mountAndList(
            source: "chats", options: "server=\(server.url),username=alice,cache-dir=\(cache.path),poll=2,noauto,user,_netdev,x-systemd.automount")
        #expect(listing.succeeded, "\(listing.stderr)")
        #expect(listing.stdout.contains("Big history"), "\(listing.stdout)")
    }

    @Test func theSourceNamesAnAccountOfTheConfigFile() throws {
        let server = try ReferenceServer.start()
        defer { server.stop() }
        let cache = try TemporaryDirectory("chatfs-cache")
        let config = try TemporaryDirectory("chatfs-config")
        try FileManager.default.createDirectory(atPath: config.path + "/chatfs", withIntermediateDirectories: true)
        try """
            [accounts.work]
            server = "\(server.url)"
            user = "alice"
            cache-dir = "\(cache.path)"
            """.write(toFile: config.path + "/chatfs/config.toml", atomically: true, encoding: .utf8)
        let (listing, _) = try mountAndList(source: "work", options: "nodev,nosuid,_netdev", environment: ["XDG_CONFIG_HOME": config.path])
        #expect(listing.succeeded, "\(listing.stderr)")
        #expect(listing.stdout.contains("Big history"), "\(listing.stdout)")
    }
}
