import CCurl

/// A TLS failure that is a configuration problem, not the network: the server's
/// certificate was refused, or the CA bundle or client certificate cannot be used. Trying
/// again later gives the same answer, so it must not pass for "server unreachable".
public struct TLSProblem: Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// Self-signed, or signed by a CA not in the bundle.
        case untrustedIssuer
        /// The certificate is for another host name.
        case nameMismatch
        case expired
        case notYetValid
        /// The CA bundle to verify with cannot be read.
        case unusableCABundle
        /// A client certificate or key cannot be used.
        case clientCertificate
        /// Any other refusal (revoked, pinned key mismatch, an issuer check).
        case refused
    }

    public var kind: Kind
    /// curl's words, with its code.
    public var detail: String

    /// Refusals curl reports only for verification and TLS setup. 51 is the number curl
    /// used for a failed peer verification before 7.62 merged it into 60.
    static let configurationCodes: Set<Int> = Set([
        CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR,
        CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_INVALIDCERTSTATUS,
    ].map { Int($0.rawValue) } + [51])

    /// Nil for failures that are not about certificates (a refused connection, a timeout).
    public init?(_ failure: TransportError) {
        guard Self.configurationCodes.contains(failure.curlCode) else { return nil }
        detail = failure.description
        kind = Self.kind(curlCode: failure.curlCode, message: failure.message.lowercased())
    }

    static func kind(curlCode: Int, message: String) -> Kind {
        if curlCode == Int(CURLE_SSL_CACERT_BADFILE.rawValue) { return .unusableCABundle }
        if curlCode == Int(CURLE_SSL_CERTPROBLEM.rawValue) { return .clientCertificate }
        if message.contains("expired") { return .expired }
        if message.contains("not yet valid") { return .notYetValid }
        if message.contains("subject name") || message.contains("does not match") || message.contains("doesn't match") {
            return .nameMismatch
        }
        if message.contains("self-signed") || message.contains("self signed") || message.contains("issuer") {
            return .untrustedIssuer
        }
        return .refused
    }

    public var description: String {
        let what = switch kind {
        case .untrustedIssuer: "the server's TLS certificate is not signed by a trusted CA"
        case .nameMismatch: "the server's TLS certificate is for another host name"
        case .expired: "the server's TLS certificate has expired"
        case .notYetValid: "the server's TLS certificate is not valid yet (check the clock)"
        case .unusableCABundle: "the CA bundle to verify the server with cannot be used"
        case .clientCertificate: "the client certificate cannot be used"
        case .refused: "the server's TLS certificate was refused"
        }
        return "\(what) (\(detail))"
    }
}
