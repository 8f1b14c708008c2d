import ArgumentParser
import ChatCache
import ChatConfig
import Foundation

struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Show the config file's accounts, or the settings a mount would use and where each comes from.",
        usage: "chatfs config [ACCOUNT] [MOUNTPOINT] [<mount options>]",
        discussion: """
            Without arguments: where the config file is and its accounts. With the arguments of \
            'chatfs mount': every setting that mount would use, and where it comes from: the command line, \
            the config file (with its line), the environment, or the default. Nothing is mounted.
            """)

    @Argument(parsing: .allUnrecognized, help: "What 'chatfs mount' would be given.")
    var mountArguments: [String] = []

    func run() throws {
        let config = try UserConfig.file()
        guard !mountArguments.isEmpty else {
            printAccounts(config)
            return
        }
        let (mount, account) = try MountCommand.parse(mountArguments).applyingAccount(arguments: mountArguments)
        print("config file: \(UserConfig.path)\(config == nil ? " (none)" : "")" + (account.map { "; account \($0.name)" } ?? ""))
        var table = TextTable(header: ["SETTING", "VALUE", "FROM"])
        table.flexibleColumn = 1
        let sources = SettingSources(arguments: mountArguments, account: account, configPath: UserConfig.path)
        for key in SettingKey.allCases {
            guard let value = mount.value(of: key, account: account) else { continue }
            table.rows.append([key.rawValue, value, sources.source(of: key, mount: mount)])
        }
        print(table.render(width: TerminalWidth.ofStandardOutput()).joined(separator: "\n"))
    }

    private func printAccounts(_ config: ConfigFile?) {
        guard let config else {
            print("no config file at \(UserConfig.path) (see README \"Config file\")")
            return
        }
        print("config file: \(config.path)")
        var table = TextTable(header: ["ACCOUNT", "SERVER", "USER", "MOUNT POINT"])
        table.flexibleColumn = 1
        for account in config.accountNames.compactMap({ config.accounts[$0] }) {
            func text(_ key: SettingKey) -> String { account.settings[key].map { "\($0.value)" } ?? "-" }
            table.rows.append([account.name, text(.server), text(.user), text(.mountPoint)])
        }
        print(table.render(width: TerminalWidth.ofStandardOutput()).joined(separator: "\n"))
    }
}

/// Where each setting of a mount comes from, for `chatfs config`.
struct SettingSources {
    var arguments: [String]
    var account: Account?
    var configPath: String

    func source(of key: SettingKey, mount: MountCommand) -> String {
        if let option = key.option, arguments.contains(where: { $0 == option || $0.hasPrefix(option + "=") }) {
            return "command line"
        }
        if key == .mountPoint, mount.mountPoint != nil || account == nil { return "command line" }
        if let account, let setting = account.settings[key] {
            return "\(configPath)\(setting.line.map { ":\($0)" } ?? "") [accounts.\(account.name)]"
        }
        switch key {
        case .caFile: return mount.connection.caBundle.map { "environment (\($0.source))" } ?? "default (the system's CAs)"
        case .cacheDir: return "default ($XDG_CACHE_HOME/chatfs/<host>/<user>)"
        case .user, .tokenFile: return "environment (CHATFS_TOKEN)"
        default: return "default"
        }
    }
}

extension MountCommand {
    /// The value the mount would use, as text; nil for a setting that does not apply.
    func value(of key: SettingKey, account: Account?) -> String? {
        switch key {
        case .server: connection.server ?? "(none: give --server or an account)"
        case .user: connection.user ?? (connection.tokenFile == nil ? "(token from CHATFS_TOKEN)" : nil)
        case .tokenFile: connection.tokenFile
        case .mountPoint: (try? resolvedMountPoint()) ?? "(none: give one)"
        case .cacheDir: (try? connection.cacheDirectory().path) ?? "(depends on the server)"
        case .cacheSize: ByteSize.format(cacheSize.bytes)
        case .poll: "\(poll.formatted()) s"
        case .sendDelay: "\(sendDelay.formatted()) s"
        case .caFile: connection.caBundle?.path ?? "(the system's CAs)"
        case .requestTimeout: "\(connection.requestTimeout.formatted()) s"
        case .historyTTLDays: "\(historyTTLDays.formatted()) days"
        case .logLevel: logLevel
        case .allowInsecureHTTP: "\(connection.allowInsecureHTTP)"
        }
    }
}
