import ChatCache
@testable import ChatFS
import Testing

@Suite struct TreeShapeTests {
    @Test func noChatCanBeNamedLikeTheControlDirectory() {
        #expect(DirectoryNames.reserved.contains(Node.controlDirectoryName))
    }

    @Test func noChatCanBeNamedLikeTheQueuesOrUnreadDirectory() {
        #expect(DirectoryNames.reserved.contains(Node.queuesDirectoryName))
        #expect(DirectoryNames.reserved.contains(Node.unreadDirectoryName))
    }

    @Test func theRootListsTheControlDirectoryAfterDotEntries() {
        #expect(Node.root.fixedEntries(showsQueues: false).map(\.name) == [".", "..", ".chatfs", "unread"])
        #expect(Node.controlDirectory.fixedEntries(showsQueues: false).map(\.name) == [".", "..", "status", "status.json"])
    }

    /// A technician's root lists `queues/`, which lists every view by its hyphenated name.
    @Test func aTechniciansRootListsTheQueues() {
        #expect(Node.root.fixedEntries(showsQueues: true).map(\.name) == [".", "..", ".chatfs", "queues", "unread"])
        let views = Node.queuesDirectory.fixedEntries(showsQueues: true).map(\.name).dropFirst(2)
        #expect(views.count == 13)
        #expect(views.contains("my-unsolved") && views.contains("unassigned") && !views.contains { $0.contains("_") })
        #expect(Node.root.fixedChild(named: "queues", showsQueues: false) == nil)
    }

    /// Walkers (grep -r, find, du, rsync, tar) see only what is listed: the event stream
    /// and the transcripts are found by name and never listed.
    @Test func theEventStreamAndTranscriptsAreFoundButNeverListed() {
        let listed = Node.controlDirectory.fixedEntries(showsQueues: true).map(\.name)
        #expect(!listed.contains("events") && !listed.contains("transcripts"))
        #expect(Node.controlDirectory.fixedChild(named: "events", showsQueues: false)?.inodeNumber == .eventsFile)
        #expect(Node.controlDirectory.fixedChild(named: "transcripts", showsQueues: false)?.inodeNumber == .transcriptsDirectory)
        #expect(Node.transcriptsDirectory.fixedEntries(showsQueues: true).map(\.name) == [".", ".."])
        #expect(Node.root.fixedChild(named: "events", showsQueues: false) == nil)
    }

    @Test func namesOutsideTheFixedEntriesAreNotFixedChildren() {
        #expect(Node.root.fixedChild(named: ".", showsQueues: false) == nil)
        #expect(Node.root.fixedChild(named: "..", showsQueues: false) == nil)
        #expect(Node.root.fixedChild(named: "status", showsQueues: false) == nil)
        #expect(Node.controlDirectory.fixedChild(named: "status", showsQueues: false)?.inodeNumber == .statusFile(.text))
        #expect(Node.controlDirectory.fixedChild(named: "status.json", showsQueues: false)?.inodeNumber == .statusFile(.json))
    }

    @Test func filesHaveNoEntries() {
        #expect(Node.statusFile(.json).fixedEntries(showsQueues: true).isEmpty)
    }
}

@Suite struct MountConfigurationTests {
    @Test func defaultsArePrivateAndNamed() {
        let arguments = MountConfiguration(mountPoint: "/mnt").fuseArguments
        #expect(arguments == ["chatfs", "-o", "fsname=chatfs,subtype=chatfs,default_permissions"])
        #expect(!arguments.joined(separator: " ").contains("allow_other"))
    }

    @Test func extraOptionsAndDebugArePassedThrough() {
        let arguments = MountConfiguration(mountPoint: "/mnt", fuseOptions: ["allow_other", "", "max_read=65536"],
                                           debug: true).fuseArguments
        #expect(arguments == ["chatfs", "-o", "fsname=chatfs,subtype=chatfs,default_permissions", "-d",
                              "-o", "allow_other", "-o", "max_read=65536"])
    }

    /// fuse2's `nonempty` is chatfs's to check (MountPointCheck); libfuse 3 would refuse it.
    @Test func nonemptyIsKeptFromLibfuse() {
        let configuration = MountConfiguration(mountPoint: "/mnt", fuseOptions: ["nonempty", "ro"])
        #expect(configuration.allowsNonEmpty)
        #expect(configuration.fuseArguments == ["chatfs", "-o", "fsname=chatfs,subtype=chatfs,default_permissions", "-o", "ro"])
        #expect(!MountConfiguration(mountPoint: "/mnt").allowsNonEmpty)
    }

    /// libfuse's session parser would refuse the loop's options: chatfs takes them.
    @Test func workerPoolOptionsAreTheLoops() throws {
        let configuration = MountConfiguration(mountPoint: "/mnt", fuseOptions: ["max_threads=6", "ro", "max_idle_threads=3"])
        #expect(try configuration.workerPool == WorkerPool(maximum: 6, idle: 3))
        #expect(configuration.fuseArguments == ["chatfs", "-o", "fsname=chatfs,subtype=chatfs,default_permissions", "-o", "ro"])
        #expect(try MountConfiguration(mountPoint: "/mnt").workerPool == WorkerPool.forThisMachine)
    }

    @Test func moreIdleWorkersThanTheMaximumAreCapped() throws {
        let pool = try MountConfiguration(mountPoint: "/mnt", fuseOptions: ["max_threads=2", "max_idle_threads=8"]).workerPool
        #expect(pool == WorkerPool(maximum: 2, idle: 2))
    }

    @Test(arguments: ["max_threads=0", "max_idle_threads=-1", "max_threads=many"])
    func aBadPoolSizeIsRefused(option: String) {
        #expect(throws: MountError.self) { try MountConfiguration(mountPoint: "/mnt", fuseOptions: [option]).workerPool }
    }
}

@Suite struct WorkerPoolTests {
    @Test func sizedFromTheCores() {
        #expect(WorkerPool.sized(forCores: 1) == WorkerPool(maximum: 4, idle: 4))
        #expect(WorkerPool.sized(forCores: 2) == WorkerPool(maximum: 4, idle: 4))
        #expect(WorkerPool.sized(forCores: 8) == WorkerPool(maximum: 16, idle: 16))
        #expect(WorkerPool.sized(forCores: 0) == WorkerPool(maximum: 4, idle: 4))
    }
}
