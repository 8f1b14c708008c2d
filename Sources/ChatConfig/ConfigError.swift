/// What is wrong with the config file, worded like a compiler's message: the file and
/// line first, so an editor can jump there.
public enum ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    case syntax(path: String, line: Int, column: Int, message: String)
    /// Well-formed TOML that chatfs cannot use (an unknown key, a wrong type).
    case invalid(path: String, line: Int?, message: String)
    case unreadable(path: String, reason: String)
    case missingFile(path: String, account: String)
    case unknownAccount(path: String, name: String, known: [String])

    public var description: String {
        switch self {
        case .syntax(let path, let line, let column, let message):
            "\(path):\(line):\(column): \(message)"
        case .invalid(let path, let line, let message):
            "\(path)\(line.map { ":\($0)" } ?? ""): \(message)"
        case .unreadable(let path, let reason):
            "\(path): \(reason)"
        case .missingFile(let path, let account):
            "no account \"\(account)\": there is no config file \(path) (see README \"Config file\")"
        case .unknownAccount(let path, let name, let known):
            "no account \"\(name)\" in \(path)" + (known.isEmpty ? " (it has none)" : " (it has: \(known.joined(separator: ", ")))")
        }
    }
}
