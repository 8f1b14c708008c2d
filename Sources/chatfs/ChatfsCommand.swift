import ArgumentParser
import ChatConfig
import Foundation

@main
struct ChatfsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chatfs",
        abstract: "Mount your Support Center chats as files.",
        discussion: """
            Browse with ls, cat, grep, find and tail; everything is served from a local cache \
            that a background thread keeps fresh. Accounts in $XDG_CONFIG_HOME/chatfs/config.toml \
            make 'chatfs mount ACCOUNT DIR' enough; 'mount -t fuse.chatfs' and /etc/fstab work too \
            (see chatfs.mount(1)).
            """,
        version: Version.current,
        subcommands: [
            MountCommand.self, UnmountCommand.self, StatusCommand.self, SyncCommand.self, ReadCommand.self,
            CacheCommand.self, PrefetchCommand.self, PinCommand.self, UnpinCommand.self, SearchCommand.self, ConfigCommand.self,
            ManualSectionsCommand.self,
        ])

    /// ArgumentParser's own main, plus what it cannot do: mount(8)'s calling convention,
    /// accounts from the config file, and exit statuses per kind of runtime failure.
    static func main() {
        let arguments = MountHelperArguments.rewrite(Array(CommandLine.arguments.dropFirst()), subcommands: subcommandNames)
        var command: any ParsableCommand
        do {
            command = try parseAsRoot(arguments)
            if let accountCommand = command as? any AccountCommand {
                command = try accountCommand.applyingAccount(arguments: Array(arguments.dropFirst())).command
            }
        } catch let error as ConfigError {
            fail(CommandFailure(.configuration, "\(error)"))
        } catch {
            exit(withError: error)
        }
        do {
            try command.run()
        } catch let error as ValidationError {
            // A usage error found while running (an account may supply a setting, so some
            // are checked late): the subcommand's usage, not the root's.
            let name = type(of: command).configuration.commandName ?? "chatfs"
            FileHandle.standardError.write(Data("""
                Error: \(error.message)
                Usage: \(usageString(for: type(of: command)))
                  See 'chatfs \(name) --help' for more information.

                """.utf8))
            Foundation.exit(ExitStatus.usage.rawValue)
        } catch {
            guard let failure = CommandFailure(error) else { exit(withError: error) }
            fail(failure)
        }
    }

    static func fail(_ failure: CommandFailure) -> Never {
        FileHandle.standardError.write(Data("chatfs: \(failure)\n".utf8))
        Foundation.exit(failure.status.rawValue)
    }

    static var subcommandNames: Set<String> {
        Set(configuration.subcommands.compactMap { $0.configuration.commandName } + ["help"])
    }
}
