import ArgumentParser
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
    static func set(_ files: [String], pinned: Bool) throws {
        try TreeAttribute.set("user.chatfs.pinned", to: pinned ? "1" : "0", on: files,
                              doing: pinned ? "pin" : "unpin", expecting: "an attachment")
    }
}
