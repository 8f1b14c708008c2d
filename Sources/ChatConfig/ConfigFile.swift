import Foundation
import TOMLKit

/// `$XDG_CONFIG_HOME/chatfs/config.toml`: named accounts, each a server and user with the
/// options to use them with, so that `chatfs mount work ~/chats` is all a user types.
///
/// ```toml
/// [accounts.work]
/// server = "https://support.example.com"
/// user = "alice"
/// mount-point = "~/chats"
/// poll = 10
/// ```
public struct ConfigFile: Sendable {
    public var path: String
    public var accounts: [String: Account]

    /// `$XDG_CONFIG_HOME/chatfs/config.toml`, or `~/.config/chatfs/config.toml`.
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment,
                                   home: String = NSHomeDirectory()) -> String {
        let base = environment["XDG_CONFIG_HOME"].flatMap { $0.hasPrefix("/") ? $0 : nil } ?? home + "/.config"
        return base + "/chatfs/config.toml"
    }

    /// The file at `path`, or nil when there is none.
    public static func load(path: String, home: String = NSHomeDirectory()) throws(ConfigError) -> ConfigFile? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw .unreadable(path: path, reason: "cannot read it as UTF-8 text")
        }
        return try ConfigFile(text: text, path: path, home: home)
    }

    public init(text: String, path: String, home: String) throws(ConfigError) {
        self.path = path
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw .syntax(path: path, line: error.source.begin.line, column: error.source.begin.column, message: error.description)
        } catch {
            throw .syntax(path: path, line: 1, column: 1, message: "\(error)")
        }
        let lines = SourceLines(text)
        for key in table.keys where key != "accounts" {
            throw .invalid(path: path, line: lines.line(ofKey: key, inTable: []),
                           message: "unknown top-level key \"\(key)\" (accounts go in [accounts.NAME] tables)")
        }
        guard let list = table["accounts"] else {
            accounts = [:]
            return
        }
        guard let accountTables = list.table else {
            throw .invalid(path: path, line: lines.line(ofKey: "accounts", inTable: []), message: "\"accounts\" must be a table of [accounts.NAME] tables")
        }
        var accounts: [String: Account] = [:]
        for name in accountTables.keys {
            let tablePath = ["accounts", name]
            guard Self.isUsableName(name) else {
                throw .invalid(path: path, line: lines.line(ofTable: tablePath),
                               message: "account name \"\(name)\": use letters, digits, '.', '_' and '-' (not first)")
            }
            guard let values = accountTables[name]?.table else {
                throw .invalid(path: path, line: lines.line(ofKey: name, inTable: ["accounts"]),
                               message: "accounts.\(name) must be a table: [accounts.\(name)]")
            }
            var settings: [SettingKey: Account.Setting] = [:]
            for keyName in values.keys {
                let line = lines.line(ofKey: keyName, inTable: tablePath)
                guard let key = SettingKey(rawValue: keyName) else {
                    throw .invalid(path: path, line: line, message: """
                        unknown key "\(keyName)" in [accounts.\(name)] (known: \(SettingKey.allCases.map(\.rawValue).joined(separator: ", ")))
                        """)
                }
                do {
                    settings[key] = Account.Setting(value: try Self.value(of: values[keyName]!, for: key, home: home), line: line)
                } catch let problem as ValueProblem {
                    throw .invalid(path: path, line: line, message: "\(keyName) in [accounts.\(name)]: \(problem.message)")
                } catch {
                    throw .invalid(path: path, line: line, message: "\(keyName) in [accounts.\(name)]: \(error)")
                }
            }
            accounts[name] = Account(name: name, settings: settings)
        }
        self.accounts = accounts
    }

    public var accountNames: [String] { accounts.keys.sorted() }

    public func account(named name: String) throws(ConfigError) -> Account {
        guard let account = accounts[name] else { throw .unknownAccount(path: path, name: name, known: accountNames) }
        return account
    }

    /// An account name is an operand (`chatfs mount work DIR`) and a systemd instance
    /// (`chatfs@work`): it must not look like an option or a path.
    static func isUsableName(_ name: String) -> Bool {
        !name.isEmpty && !name.hasPrefix("-")
            && name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || "._-".unicodeScalars.contains($0) }
    }

    struct ValueProblem: Error {
        var message: String
    }

    static func value(of node: any TOMLValueConvertible, for key: SettingKey, home: String) throws -> SettingValue {
        switch key.kind {
        case .text:
            guard let text = node.string, !text.isEmpty else { throw ValueProblem(message: "must be a non-empty string") }
            return .text(text)
        case .path:
            guard let text = node.string, !text.isEmpty else { throw ValueProblem(message: "must be a path in quotes") }
            let expanded = text == "~" ? home : text.hasPrefix("~/") ? home + text.dropFirst(1) : text
            guard expanded.hasPrefix("/") else { throw ValueProblem(message: "must be absolute or start with ~/ (got \"\(text)\")") }
            return .text(expanded)
        case .number:
            guard let number = node.double ?? node.int.map(Double.init), number.isFinite, number >= 0 else {
                throw ValueProblem(message: "must be a number of seconds (or days), 0 or more")
            }
            return .number(number)
        case .size:
            if let bytes = node.int, bytes > 0 { return .text(String(bytes)) }
            guard let text = node.string, !text.isEmpty else { throw ValueProblem(message: "must be a size like \"500M\" or \"2G\"") }
            return .text(text)
        case .flag:
            guard let flag = node.bool else { throw ValueProblem(message: "must be true or false") }
            return .flag(flag)
        }
    }
}
