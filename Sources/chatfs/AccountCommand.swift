import ArgumentParser
import ChatConfig

/// A command that can take its settings from an account of the config file. The
/// account's settings become options placed before the user's own, and the command is
/// parsed again: the user's options win (an option given twice takes its last value), and
/// every setting is checked by the same code whether it came from the file or a flag.
protocol AccountCommand: ParsableCommand {
    /// The account the command line names, or nil when it names none.
    func accountName(in config: ConfigFile?) throws -> String?
    /// Prefetch takes fewer settings than mount (it does not mount).
    static var isPrefetch: Bool { get }
}

extension AccountCommand {
    /// The command parsed again with the account's options, and the account (nil when the
    /// command line names none). `arguments` are the command's own, without its name.
    func applyingAccount(arguments: [String]) throws -> (command: Self, account: Account?) {
        let config = try UserConfig.file()
        guard let name = try accountName(in: config) else { return (self, nil) }
        guard let config else { throw ConfigError.missingFile(path: UserConfig.path, account: name) }
        let account = try config.account(named: name)
        return (try Self.parse(account.arguments(forPrefetch: Self.isPrefetch) + arguments), account)
    }
}

/// The user's config file, read once per process.
enum UserConfig {
    static let path = ConfigFile.defaultPath()
    private static let loaded = Result { () throws(ConfigError) -> ConfigFile? in try ConfigFile.load(path: path) }

    static func file() throws(ConfigError) -> ConfigFile? {
        try loaded.get()
    }
}
