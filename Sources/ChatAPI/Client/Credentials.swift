/// How a client authenticates. Descriptions hide the token.
public enum Credentials: Sendable, CustomStringConvertible {
    /// Log in as this user (the login endpoint takes no password) and renew the token
    /// when it is refused.
    case username(String)
    /// Use this bearer token as it is; a 401 is final.
    case token(String)

    public var description: String {
        switch self {
        case .username(let name): "username(\(name))"
        case .token: "token(<redacted>)"
        }
    }
}
