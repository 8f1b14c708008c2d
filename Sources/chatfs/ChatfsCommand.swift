import ArgumentParser

@main
struct ChatfsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chatfs",
        abstract: "Mount your Support Center chats as files.",
        discussion: """
            Browse with ls, cat, grep, find and tail; everything is served from a local cache \
            that a background thread keeps fresh.
            """,
        subcommands: [
            MountCommand.self, UnmountCommand.self, StatusCommand.self, SyncCommand.self, ReadCommand.self,
            CacheCommand.self, PrefetchCommand.self, PinCommand.self, UnpinCommand.self, SearchCommand.self,
        ])
}
