/// How to mount: where, extra libfuse `-o` options, and libfuse's debug trace.
public struct MountConfiguration: Sendable {
    public var mountPoint: String
    /// Extra "-o" options, already split on ",", passed to libfuse after the defaults
    /// (`fsname=chatfs,subtype=chatfs,default_permissions`; never `allow_other` unless given).
    public var fuseOptions: [String]
    /// libfuse `-d`: every request and reply on stderr.
    public var debug: Bool

    public init(mountPoint: String, fuseOptions: [String] = [], debug: Bool = false) {
        self.mountPoint = mountPoint
        self.fuseOptions = fuseOptions
        self.debug = debug
    }

    /// The mount table lists chatfs as `fuse.chatfs`.
    static let subtype = "chatfs"
    static let defaultOptions = "fsname=chatfs,subtype=\(subtype),default_permissions"
    /// fuse2's option to mount over files; libfuse 3 always allows it, so chatfs checks it
    /// itself (`MountPointCheck`) and never passes it on.
    static let nonEmptyOption = "nonempty"

    /// `-o nonempty` was given.
    public var allowsNonEmpty: Bool { fuseOptions.contains(Self.nonEmptyOption) }

    /// The argv libfuse parses (argv[0] is only a program name).
    var fuseArguments: [String] {
        var arguments = ["chatfs", "-o", Self.defaultOptions]
        if debug { arguments.append("-d") }
        for option in fuseOptions where !option.isEmpty && option != Self.nonEmptyOption {
            arguments += ["-o", option]
        }
        return arguments
    }
}
