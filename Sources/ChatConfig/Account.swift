/// A value as the config file gave it, type-checked for its key.
public enum SettingValue: Sendable, Equatable, CustomStringConvertible {
    case text(String)
    case number(Double)
    case flag(Bool)

    public var description: String {
        switch self {
        case .text(let text): text
        case .number(let number): number == number.rounded() && abs(number) < 1e15 ? String(Int64(number)) : String(number)
        case .flag(let flag): String(flag)
        }
    }
}

/// One `[accounts.NAME]` table: a server and user with the options to use them with.
public struct Account: Sendable, Equatable {
    public struct Setting: Sendable, Equatable {
        public var value: SettingValue
        /// Where the file sets it (1-based), when it could be found.
        public var line: Int?
    }

    public var name: String
    public var settings: [SettingKey: Setting]

    public init(name: String, settings: [SettingKey: Setting]) {
        self.name = name
        self.settings = settings
    }

    public var mountPoint: String? {
        if case .text(let path) = settings[.mountPoint]?.value { return path }
        return nil
    }

    /// The account as command-line options (`--server=URL --user=alice --poll=5`), in
    /// `SettingKey` order. Given before the user's own options, which therefore win: a
    /// repeated option takes its last value. `=` keeps a value that starts with `-` a value.
    public func arguments(forPrefetch: Bool = false) -> [String] {
        SettingKey.allCases.flatMap { key -> [String] in
            guard let option = key.option, let setting = settings[key], !forPrefetch || key.appliesToPrefetch else { return [] }
            switch setting.value {
            case .flag(let on): return on ? [option] : []
            case .text, .number: return ["\(option)=\(setting.value)"]
            }
        }
    }
}
