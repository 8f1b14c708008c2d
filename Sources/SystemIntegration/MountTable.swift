import Foundation

/// One line of `/proc/self/mountinfo`: what is mounted where.
public struct MountEntry: Sendable, Equatable {
    public var mountID: Int
    public var parentID: Int
    /// Absolute, with the kernel's octal escapes (`\040` for a space...) decoded.
    public var mountPoint: String
    /// `fuse.chatfs`, `ext4`, `tmpfs`...
    public var fileSystemType: String
    /// The mount's source (for FUSE: its `fsname`).
    public var source: String
    /// The superblock's device number (`st_dev` of the files there; for FUSE it names the
    /// connection, see `FuseConnection`).
    public var device: Device?

    public struct Device: Sendable, Equatable {
        public var major: UInt32
        public var minor: UInt32

        public init(major: UInt32, minor: UInt32) {
            self.major = major
            self.minor = minor
        }
    }

    public init(mountID: Int, parentID: Int, mountPoint: String, fileSystemType: String, source: String,
                device: Device? = nil) {
        self.mountID = mountID
        self.parentID = parentID
        self.mountPoint = mountPoint
        self.fileSystemType = fileSystemType
        self.source = source
        self.device = device
    }
}

/// The kernel's mount table. Reading it never touches a mounted filesystem, so it works
/// on a dead FUSE mount, where even `stat` of the mount point may hang or lie.
public struct MountTable: Sendable {
    /// In the kernel's order: a mount stacked on another comes after it.
    public var entries: [MountEntry]

    public init(entries: [MountEntry]) {
        self.entries = entries
    }

    /// This process's view of the mounts.
    public static func current() throws -> MountTable {
        MountTable(text: try String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8))
    }

    /// Parses mountinfo lines: `ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL...] - TYPE SOURCE SUPEROPTIONS`.
    /// Lines that do not have that shape are skipped.
    public init(text: String) {
        entries = text.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 7, let mountID = Int(fields[0]), let parentID = Int(fields[1]),
                  let separator = fields.firstIndex(of: "-"), separator >= 6, fields.count > separator + 2
            else { return nil }
            let numbers = fields[2].split(separator: ":").compactMap { UInt32($0) }
            return MountEntry(mountID: mountID, parentID: parentID, mountPoint: Self.unescape(fields[4]),
                              fileSystemType: Self.unescape(fields[separator + 1]), source: Self.unescape(fields[separator + 2]),
                              device: numbers.count == 2 ? MountEntry.Device(major: numbers[0], minor: numbers[1]) : nil)
        }
    }

    /// The mounts on exactly `path` (an absolute path without symlinks), bottom first.
    public func mounts(at path: String) -> [MountEntry] {
        entries.filter { $0.mountPoint == path }
    }

    /// The mount whose tree holds `path` (absolute, without symlinks): the longest mount
    /// point that is `path` or one of its parents; the top one when mounts are stacked.
    public func mount(containing path: String) -> MountEntry? {
        entries.enumerated()
            .filter { Self.path(path, isInside: $0.element.mountPoint) }
            .max { ($0.element.mountPoint.count, $0.offset) < ($1.element.mountPoint.count, $1.offset) }?
            .element
    }

    /// Whether `path` is `directory` or below it (both absolute, without symlinks).
    public static func path(_ path: String, isInside directory: String) -> Bool {
        directory == "/" || path == directory || path.hasPrefix(directory + "/")
    }

    /// The kernel writes space, tab, newline and backslash as `\ooo` octal escapes.
    static func unescape(_ field: Substring) -> String {
        var bytes: [UInt8] = []
        var utf8 = Array(field.utf8)[...]
        while let byte = utf8.popFirst() {
            if byte == UInt8(ascii: "\\"), utf8.count >= 3,
               let value = UInt8(String(decoding: utf8.prefix(3), as: UTF8.self), radix: 8) {
                bytes.append(value)
                utf8 = utf8.dropFirst(3)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
