/// The answer to `POST /auth/login`. Its descriptions hide the token, so logging the
/// value never leaks it.
public struct LoginResponse: Sendable, Equatable, Decodable, CustomStringConvertible,
    CustomDebugStringConvertible
{
    public var accessToken: String
    public var tokenType: String?
    /// Seconds (30 days).
    public var expiresIn: Int?
    public var sessionId: String?
    public var redirectTo: String?
    public var user: User

    public var description: String {
        "LoginResponse(user: \(user.username), expiresIn: \(expiresIn.map(String.init) ?? "nil"), accessToken: <redacted>)"
    }

    public var debugDescription: String { description }
}

/// The logged-in user, from the login answer (which has the technician flag that
/// `/auth/me` lacks).
public struct User: Sendable, Equatable, Decodable {
    public var id: String
    public var username: String
    public var email: String?
    public var fullName: String?
    public var isActive: Bool?
    public var isTechnician: Bool?
    public var isSuperAdmin: Bool?
}
