import Foundation
import Hummingbird

/// Resolves `Authorization: Bearer <token>` to a user, answering like FastAPI's HTTPBearer:
/// no header (or no token) 403 `Not authenticated`, another scheme 403 `Invalid
/// authentication credentials`, an unknown or expired token 401 with `WWW-Authenticate`.
struct Authenticator: Sendable {
    let store: ChatStore

    func user(for request: Request) async throws -> UserRecord {
        guard let header = request.headers[.authorization] else {
            throw APIError.forbidden("Not authenticated")
        }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard let scheme = parts.first, parts.count == 2, !parts[1].allSatisfy(\.isWhitespace) else {
            throw APIError.forbidden("Not authenticated")
        }
        guard scheme.lowercased() == "bearer" else {
            throw APIError.forbidden("Invalid authentication credentials")
        }
        let token = parts[1].trimmingCharacters(in: .whitespaces)
        // Tokens are 64 hex digits; anything longer is not worth a database lookup.
        guard token.utf8.count <= 512, let user = try await store.user(token: token) else {
            throw APIError.invalidToken
        }
        return user
    }
}
