import ArgumentParser

/// Prints the man pages' FILES, ENVIRONMENT and EXIT STATUS sections (mdoc), which
/// swift-argument-parser's generator cannot write; scripts/install puts them into every
/// generated page. The exit statuses come from `ExitStatus`, so they are written once.
struct ManualSectionsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "manual-sections", shouldDisplay: false)

    static let files: [(String, String)] = [
        ("$XDG_CONFIG_HOME/chatfs/config.toml", "Accounts: [accounts.NAME] tables of settings named like the options (see chatfs.config(1))."),
        ("$XDG_CACHE_HOME/chatfs/HOST/USER/", "The cache of a server and user: cache.sqlite, attachments, the token (0600)."),
        ("$XDG_CACHE_HOME/chatfs/HOST/USER/chatfs.log", "The detached daemon's log; rotated at 10 MB, the previous one kept as chatfs.log.1."),
        ("MOUNTPOINT/.chatfs/status, MOUNTPOINT/.chatfs/status.json", "The mount's status, for people and as stable JSON."),
        ("$XDG_DATA_HOME/systemd/user/chatfs@.service", "The systemd user unit: systemctl --user enable --now chatfs@ACCOUNT."),
    ]

    static let environment: [(String, String)] = [
        ("XDG_CONFIG_HOME", "Where the config file is (default ~/.config)."),
        ("XDG_CACHE_HOME", "Where caches are kept (default ~/.cache)."),
        ("CHATFS_TOKEN", "A bearer token, when neither --user nor --token-file is given."),
        ("CURL_CA_BUNDLE, SSL_CERT_FILE", "A PEM file of the CAs to trust, when --ca-file is not given (in this order)."),
        ("NOTIFY_SOCKET", "Set by systemd for Type=notify: chatfs stays in the foreground and reports READY=1 and STOPPING=1."),
    ]

    func run() {
        print(".Sh ENVIRONMENT\n.Bl -tag -width 6n")
        for (name, meaning) in Self.environment { print(".It Ev \(name)\n\(meaning)") }
        print(".El\n.Sh FILES\n.Bl -tag -width 6n")
        for (path, meaning) in Self.files { print(".It Pa \(path)\n\(meaning)") }
        print(".El\n.Sh EXIT STATUS\n.Bl -tag -width 6n")
        for status in ExitStatus.allCases { print(".It \(status.rawValue)\n\(status.meaning)") }
        print(".El")
    }
}
