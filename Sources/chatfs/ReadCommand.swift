import ArgumentParser
import Foundation

struct ReadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "read",
        abstract: "Mark chats read (queued: it works offline and reaches the server when it can).",
        discussion: "The same as: setfattr -n user.chatfs.unread -v 0 CHAT_DIRECTORY")

    @Argument(help: "Chat directories in a mounted tree.")
    var chats: [String]

    func run() throws {
        try TreeAttribute.set("user.chatfs.unread", to: "0", on: chats, doing: "mark read", expecting: "a chat directory")
    }
}
