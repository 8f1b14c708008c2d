import Foundation
import Testing
import TestSupport

/// The mount's life cycle as issue 11 found it: crashes, second mounts, non-empty mount
/// points, an unreachable first server, paths outside a mount, exit statuses.
@Suite(.serialized, .enabled(if: MountSupport.available, "needs /dev/fuse, fusermount3 and built binaries"))
struct LifeCycleTests {
    func mountArguments(_ mountPoint: String, server: String, cache: String, _ extra: [String] = []) -> [String] {
        [Binaries.chatfs, "mount", mountPoint, "--server", server, "--user", "alice", "--cache-dir", cache] + extra
    }

    /// Defect 1: `stat` caches the root's attributes for an hour, so after kill -9 the old
    /// check saw a live directory and stacked a second mount on the dead one.
    @Test func aCrashedMountIsClearedNotStackedOn() throws {
        let server = try ReferenceServer.start()
        defer { server.stop() }
        let cache = try TemporaryDirectory("chatfs-cache")
        let first = try ChatfsMount.start(server: server, cacheDirectory: cache.path)
        defer { first.stop() }
        let mount = DetachedMount(mountPoint: first.mountPoint)
        defer { mount.stop() }
        #expect(try run(["stat", first.mountPoint]).succeeded)
        first.crash()

        let again = try run(mountArguments(first.mountPoint, server: server.url, cache: cache.path))
        #expect(again.succeeded, "\(again.stderr)")
        #expect(mount.count == 1)
        #expect(try run(["ls", first.mountPoint]).stdout.contains("Big history"))

        let unmount = try run([Binaries.chatfs, "unmount", first.mountPoint])
        #expect(unmount.succeeded, "\(unmount.stderr)")
        #expect(mount.waitUntilGone())
        let after = try run(["ls", first.mountPoint])
        #expect(after.succeeded && after.stdout.isEmpty, "\(after.stderr)")
    }

    /// Defect 2: two daemons on one mount point.
    @Test func aLiveMountPointIsRefused() throws {
        try withDemoMount { server, live in
            let second = try run(mountArguments(live.mountPoint, server: server.url, cache: live.cacheDirectory))
            #expect(second.status == 71, "\(second.stderr)")
            #expect(second.stderr.contains("already a live chatfs mount"))
            #expect(DetachedMount(mountPoint: live.mountPoint).count == 1)
            #expect(live.isRunning)
        }
    }

    /// Defect 2: mounting over files hides them silently.
    @Test func aNonEmptyMountPointIsRefusedUnlessAllowed() throws {
        let server = try ReferenceServer.start()
        defer { server.stop() }
        let directory = try TemporaryDirectory("chatfs-mnt")
        _ = FileManager.default.createFile(atPath: directory.path + "/notes.txt", contents: Data("mine".utf8))
        let mount = DetachedMount(mountPoint: directory.path)
        defer { mount.stop() }
        let cache = try TemporaryDirectory("chatfs-cache")

        let refused = try run(mountArguments(directory.path, server: server.url, cache: cache.path))
        #expect(refused.status == 71, "\(refused.stderr)")
        #expect(refused.stderr.contains("is not empty"))
        #expect(!mount.isMounted)

        for optIn in [["--allow-non-empty"], ["-o", "nonempty"]] {
            let allowed = try run(mountArguments(directory.path, server: server.url, cache: cache.path, optIn))
            #expect(allowed.succeeded, "\(optIn): \(allowed.stderr)")
            #expect(try run(["ls", directory.path]).stdout.contains("Big history"))
            #expect(try run([Binaries.chatfs, "unmount", directory.path]).succeeded)
            #expect(mount.waitUntilGone())
        }
        #expect(FileManager.default.contents(atPath: directory.path + "/notes.txt") == Data("mine".utf8))
    }

    /// Defect 3: an empty tree and exit 0 looked like a user without chats.
    @Test func aFirstMountWithNoCacheFailsWhileTheServerIsUnreachable() throws {
        let server = try ReferenceServer.start()
        let url = server.url
        server.stop()
        let mountPoint = try TemporaryDirectory("chatfs-mnt")
        let parent = try TemporaryDirectory("chatfs-cache")
        let cache = parent.path + "/new"
        let mount = DetachedMount(mountPoint: mountPoint.path)
        defer { mount.stop() }
        let result = try run(mountArguments(mountPoint.path, server: url, cache: cache))
        #expect(result.status == 69, "\(result.stderr)")
        #expect(result.stderr.contains("cannot reach \(url)") && result.stderr.contains("no cache to serve offline"))
        #expect(!mount.isMounted)
        #expect(!FileManager.default.fileExists(atPath: cache), "a failed first mount leaves no empty cache behind")
    }

    /// Defect 3: with a cache, offline stays a feature, and says since when. The cache is
    /// served at once (issue 9, P4), so the word "offline" comes with the first list, in the log.
    @Test func withACacheItMountsOfflineAndSaysFromWhen() throws {
        let server = try ReferenceServer.start()
        let cache = try TemporaryDirectory("chatfs-cache")
        do {
            let online = try ChatfsMount.start(server: server, cacheDirectory: cache.path)
            defer { online.stop() }
            #expect(try run(["ls", online.path("Big history")]).succeeded)
        }
        server.stop()
        let mountPoint = try TemporaryDirectory("chatfs-mnt")
        let mount = DetachedMount(mountPoint: mountPoint.path)
        defer { mount.stop() }
        let offline = try run(mountArguments(mountPoint.path, server: server.url, cache: cache.path))
        #expect(offline.succeeded, "\(offline.stderr)")
        #expect(offline.stdout.contains("(serving the cache from 20"), "\(offline.stdout)")
        #expect(try run(["ls", mountPoint.path]).stdout.contains("Big history"))
        #expect(try eventually {
            let log = (try? String(contentsOfFile: cache.path + "/chatfs.log", encoding: .utf8)) ?? ""
            return log.contains("server unavailable") && log.contains("serving the cache from 20")
        })
        #expect(try run([Binaries.chatfs, "unmount", mountPoint.path]).succeeded)
        #expect(mount.waitUntilGone())
    }

    /// Defect 5: `chatfs pin /etc/passwd` wrote user.chatfs.pinned on it.
    @Test func readAndPinRefusePathsOutsideAChatfsMount() throws {
        let directory = try TemporaryDirectory("chatfs-outside")
        let file = directory.path + "/passwd"
        _ = FileManager.default.createFile(atPath: file, contents: Data("root:x:0:0\n".utf8))
        for command in [["pin", file], ["unpin", file], ["read", directory.path]] {
            let result = try run([Binaries.chatfs] + command)
            #expect(result.status == 66, "\(command): \(result.stderr)")
            #expect(result.stderr.contains("is not inside a chatfs mount"))
            #expect(!result.stderr.contains("Usage"))
        }
        #expect(try run(["getfattr", "-d", "-m", "user.chatfs", file, directory.path]).stdout.isEmpty)
    }

    /// Defect 5: `chatfs status --cache-dir /typo` made a cache there.
    @Test func statusRefusesADirectoryWithoutACacheAndCreatesNone() throws {
        let parent = try TemporaryDirectory("chatfs-typo")
        let empty = try TemporaryDirectory("chatfs-empty")
        for directory in [parent.path + "/typo", empty.path] {
            for command in [["status"], ["status", "--json"], ["cache", "clear"]] {
                let result = try run([Binaries.chatfs] + command + ["--cache-dir", directory])
                #expect(result.status == 66, "\(command) \(directory): \(result.stderr)")
                #expect(result.stderr.contains("holds no chatfs cache"))
            }
        }
        #expect(!FileManager.default.fileExists(atPath: parent.path + "/typo"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: empty.path).isEmpty)
    }

    /// Defect 6: 64 is for usage errors only; runtime failures have their own statuses.
    @Test func usageErrorsExit64AndRuntimeFailuresHaveTheirOwnStatus() throws {
        let usage = try run([Binaries.chatfs, "mount"])
        #expect(usage.status == 64 && usage.stderr.contains("Usage"), "\(usage.stderr)")
        let noServer = try run([Binaries.chatfs, "mount", "/nonexistent-mount-point"])
        #expect(noServer.status == 64 && noServer.stderr.contains("give --server"), "\(noServer.stderr)")

        let server = try ReferenceServer.start()
        defer { server.stop() }
        let mountPoint = try TemporaryDirectory("chatfs-mnt")
        let cache = try TemporaryDirectory("chatfs-cache")
        let refused = try run([Binaries.chatfs, "mount", mountPoint.path, "--server", server.url, "--user", "mallory",
                               "--cache-dir", cache.path])
        #expect(refused.status == 77, "\(refused.stderr)")
        #expect(refused.stderr.contains("User not found") && !refused.stderr.contains("Usage"))
        let missing = try run(mountArguments(mountPoint.path + "/missing", server: server.url, cache: cache.path))
        #expect(missing.status == 71 && missing.stderr.contains("does not exist"), "\(missing.stderr)")
    }
}
