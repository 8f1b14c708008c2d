/// A setting an account of the config file may hold. Each one is also the command-line
/// option of the same name (`poll` is `--poll`) and an `-o` option of the fstab form
/// (`-o poll=5`), so the three always spell it alike.
public enum SettingKey: String, CaseIterable, Sendable {
    case server
    case user
    case tokenFile = "token-file"
    case mountPoint = "mount-point"
    case cacheDir = "cache-dir"
    case cacheSize = "cache-size"
    case poll
    case sendDelay = "send-delay"
    case caFile = "ca-file"
    case requestTimeout = "request-timeout"
    case historyTTLDays = "history-ttl-days"
    case logLevel = "log-level"
    case allowInsecureHTTP = "allow-insecure-http"

    /// What a value must look like.
    public enum Kind: Sendable {
        case text
        /// Absolute, or starting with `~/`.
        case path
        /// Seconds or days: a number, 0 or more.
        case number
        /// `500M`, `2G` or a number of bytes.
        case size
        /// true or false; true passes the option, false leaves it out.
        case flag
    }

    public var kind: Kind {
        switch self {
        case .server, .user, .logLevel: .text
        case .tokenFile, .mountPoint, .cacheDir, .caFile: .path
        case .poll, .sendDelay, .requestTimeout, .historyTTLDays: .number
        case .cacheSize: .size
        case .allowInsecureHTTP: .flag
        }
    }

    /// The command-line option; nil for `mount-point`, which is the mount's operand.
    public var option: String? {
        self == .mountPoint ? nil : "--" + rawValue
    }

    /// Whether `chatfs prefetch` takes the option too: it reaches the server and fills
    /// the cache, but does not mount.
    public var appliesToPrefetch: Bool {
        switch self {
        case .server, .user, .tokenFile, .cacheDir, .caFile, .requestTimeout, .allowInsecureHTTP: true
        case .mountPoint, .cacheSize, .poll, .sendDelay, .historyTTLDays, .logLevel: false
        }
    }
}
