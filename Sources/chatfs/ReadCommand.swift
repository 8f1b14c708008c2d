import ArgumentParser
import CFuse
import Foundation

struct ReadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "read",
        abstract: "Mark chats read (queued: it works offline and reaches the server when it can).",
        discussion: "The same as: setfattr -n user.chatfs.unread -v 0 CHAT_DIRECTORY")

    @Argument(help: "Chat directories in a mounted tree.")
    var chats: [String]

    func run() throws {
        for chat in chats {
            guard setxattr(chat, "user.chatfs.unread", "0", 1, 0) == 0 else {
                throw ValidationError("cannot mark \(chat) read: \(String(cString: strerror(errno)))")
            }
        }
    }
}
