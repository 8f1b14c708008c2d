import ChatCache
@testable import ChatFS
import Testing

@Suite struct TreeShapeTests {
    @Test func noChatCanBeNamedLikeTheControlDirectory() {
        #expect(DirectoryNames.reserved.contains(Node.controlDirectoryName))
    }

    @Test func noChatCanBeNamedLikeTheQueuesDirectory() {
        #expect(DirectoryNames.reserved.contains(Node.queuesDirectoryName))
    }

    @Test func theRootListsTheControlDirectoryAfterDotEntries() {
        #expect(Node.root.fixedEntries(showsQueues: false).map(\.name) == [".", "..", ".chatfs"])
        #expect(Node.controlDirectory.fixedEntries(showsQueues: false).map(\.name) == [".", "..", "status", "status.json"])
    }

    /// A technician's root lists `queues/`, which lists every view by its hyphenated name.
    @Test func aTechniciansRootListsTheQueues() {
        #expect(Node.root.fixedEntries(showsQueues: true).map(\.name) == [".", "..", ".chatfs", "queues"])
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
}
