import ChatConfig

/// mount(8)'s calling convention: `mount -t fuse.chatfs SOURCE DIR -o OPTIONS` (and an
/// /etc/fstab line of type `fuse.chatfs`) runs mount.fuse3, which runs
/// `chatfs SOURCE DIR -o OPTIONS`. This turns that into `chatfs mount ...`:
///
/// - SOURCE is an account of the config file (or `-o account=NAME` names it); with
///   `-o server=URL` it may be any label instead.
/// - `-o` options named like chatfs's settings (`server=`, `poll=`, `cache-dir=`...) become
///   those options; `nonempty` is kept for chatfs's own check. The chat user is
///   `username=`: mount(8) itself passes `user=<who mounted>` for fstab's `user` option.
/// - What only mount(8), systemd or fstab read (`noauto`, `user`, `_netdev`, `nofail`,
///   `x-systemd.*`...) is dropped; the rest is passed to FUSE.
///
/// mount(8) runs helpers with PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin,
/// so `-t fuse.chatfs` needs chatfs there; `-t fuse` with the source `/path/to/chatfs#ACCOUNT`
/// works from anywhere.
enum MountHelperArguments {
    /// fstab options that are not for the filesystem.
    static let mountOnlyOptions: Set<String> = ["auto", "noauto", "user", "users", "nouser", "owner", "group", "_netdev", "nofail", "defaults"]
    /// The chat user's key here (`user` is taken by mount(8)).
    static let userOption = "username"

    /// The arguments unchanged unless they have the mount helper's shape: two operands
    /// first, the first not a subcommand.
    static func rewrite(_ arguments: [String], subcommands: Set<String>) -> [String] {
        guard arguments.count >= 2, let source = arguments.first, !source.hasPrefix("-"), !subcommands.contains(source),
              !arguments[1].hasPrefix("-") else { return arguments }
        let mountPoint = arguments[1]
        var chatfsOptions: [String] = []
        var fuseOptions: [String] = []
        var passedOn: [String] = []
        var account: String?
        var hasServer = false
        var rest = arguments.dropFirst(2)
        while let argument = rest.popFirst() {
            let list: String
            if argument == "-o", let next = rest.popFirst() {
                list = next
            } else if argument.hasPrefix("-o"), argument.count > 2 {
                list = String(argument.dropFirst(2))
            } else {
                passedOn.append(argument)
                continue
            }
            for option in list.split(separator: ",").map(String.init) {
                let name = option.split(separator: "=", maxSplits: 1).first.map(String.init) ?? option
                let hasValue = option.contains("=")
                if name == "account", hasValue {
                    account = String(option.dropFirst("account=".count))
                } else if name == userOption, hasValue, let flag = SettingKey.user.option {
                    chatfsOptions.append("\(flag)=\(option.dropFirst(name.count + 1))")
                } else if name != SettingKey.user.rawValue, let key = SettingKey(rawValue: name), let flag = key.option,
                          hasValue || key.kind == .flag {
                    hasServer = hasServer || key == .server
                    chatfsOptions.append(hasValue ? "\(flag)=\(option.dropFirst(name.count + 1))" : flag)
                } else if mountOnlyOptions.contains(name) || name.hasPrefix("x-") || name == "comment" {
                    continue
                } else {
                    fuseOptions.append(option)
                }
            }
        }
        let operands = account.map { [$0, mountPoint] } ?? (hasServer ? [mountPoint] : [source, mountPoint])
        return ["mount"] + operands + chatfsOptions + (fuseOptions.isEmpty ? [] : ["-o", fuseOptions.joined(separator: ",")]) + passedOn
    }
}
