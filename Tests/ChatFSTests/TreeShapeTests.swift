import ChatCache
@testable import ChatFS
import Testing

@Suite struct TreeShapeTests {
    @Test func noChatCanBeNamedLikeTheControlDirectory() {
        #expect(DirectoryNames.reserved.contains(Node.controlDirectoryName))
    }

    @Test func theRootListsTheControlDirectoryAfterDotEntries() {
        #expect(Node.root.fixedEntries.map(\.name) == [".", "..", ".chatfs"])
        #expect(Node.controlDirectory.fixedEntries.map(\.name) == [".", "..", "status", "status.json"])
    }

    @Test func namesOutsideTheFixedEntriesAreNotFixedChildren() {
        #expect(Node.root.fixedChild(named: ".") == nil)
        #expect(Node.root.fixedChild(named: "..") == nil)
        #expect(Node.root.fixedChild(named: "status") == nil)
        #expect(Node.controlDirectory.fixedChild(named: "status")?.inodeNumber == .statusFile(.text))
        #expect(Node.controlDirectory.fixedChild(named: "status.json")?.inodeNumber == .statusFile(.json))
    }

    @Test func filesHaveNoEntries() {
        #expect(Node.statusFile(.json).fixedEntries.isEmpty)
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
