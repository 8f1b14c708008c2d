import ArgumentParser
import CFuse
import Foundation

/// Pinned attachments are never evicted to hold the quota and survive `cache clear`.
struct PinCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pin",
        abstract: "Keep attachments in the cache whatever the quota.",
        discussion: "The same as: setfattr -n user.chatfs.pinned -v 1 FILE. Pinned files are listed by 'chatfs status'.")

    @Argument(help: "Files in a mounted chat's media/.")
    var files: [String]

    func run() throws { try Pinning.set(files, pinned: true) }
}

struct UnpinCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unpin",
        abstract: "Let pinned attachments be evicted again.",
        discussion: "The same as: setfattr -n user.chatfs.pinned -v 0 FILE")

    @Argument(help: "Files in a mounted chat's media/.")
    var files: [String]

    func run() throws { try Pinning.set(files, pinned: false) }
}

enum Pinning {
    static let attribute = "user.chatfs.pinned"

    static func set(_ files: [String], pinned: Bool) throws {
        let value = pinned ? "1" : "0"
        for file in files {
            guard setxattr(file, attribute, value, 1, 0) == 0 else {
                let reason = errno == ENOTSUP || errno == ENODATA
                    ? "not an attachment in a chatfs mount" : String(cString: strerror(errno))
                throw ValidationError("cannot \(pinned ? "pin" : "unpin") \(file): \(reason)")
            }
        }
    }
}
