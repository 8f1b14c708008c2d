import CCurl

/// A failure below HTTP: the exchange did not produce a complete response.
public struct TransportError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// Nothing reached the server (no connection, name not resolved, TLS refused,
        /// connect timeout): any request may be retried later without doubt.
        case notSent
        /// The request went out (at least partly) and an answer started but did not
        /// complete: a POST may or may not have been applied.
        case noCompleteAnswer
        /// The request went out and not one byte of an answer came back (a timeout on a
        /// hung or overloaded server, or a connection closed unanswered): a POST may or
        /// may not have been applied, and the server may never have looked at it.
        case noAnswer
        /// The server answered with a body longer than the request allowed.
        case bodyTooLarge(limit: Int)
        /// Writing a streamed body to its destination failed with this errno.
        case destinationWriteFailed(errno: Int32)
        /// The local file an upload sends could not be read (before or while sending).
        /// The server never got a complete request, so nothing was applied; sending the
        /// same file again fails the same way.
        case sourceReadFailed
    }

    public var kind: Kind
    /// The raw CURLcode (0 when the failure is not curl's).
    public var curlCode: Int
    public var message: String

    public init(kind: Kind, curlCode: Int, message: String) {
        self.kind = kind
        self.curlCode = curlCode
        self.message = message
    }

    public var description: String {
        curlCode == 0 ? message : "\(message) (curl error \(curlCode))"
    }

    /// Codes curl only returns before any request byte is written: resolving, connecting,
    /// and the TLS handshake (a failed verification included).
    private static let failuresBeforeSending: Set<UInt32> = [
        CURLE_UNSUPPORTED_PROTOCOL, CURLE_FAILED_INIT, CURLE_URL_MALFORMAT,
        CURLE_COULDNT_RESOLVE_PROXY, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_CONNECT,
        CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM,
        CURLE_SSL_CIPHER, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR,
        CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_INVALIDCERTSTATUS,
    ].reduce(into: []) { $0.insert($1.rawValue) }

    /// Whether a failed transfer may have reached the server.
    ///
    /// `requestStarted` is what curl measured: the transfer got past connecting (a
    /// pre-transfer time was recorded) or request bytes were counted. A timeout or a
    /// receive error is ambiguous only once the request may have gone out. A failure to
    /// read the file being uploaded is the client's own, wherever it happened.
    /// `answerStarted`: response header bytes were counted.
    public static func classify(curlCode: CURLcode, requestStarted: Bool, answerStarted: Bool = true) -> Kind {
        if curlCode == CURLE_READ_ERROR {
            return .sourceReadFailed
        }
        if failuresBeforeSending.contains(curlCode.rawValue) || !requestStarted {
            return .notSent
        }
        return answerStarted ? .noCompleteAnswer : .noAnswer
    }
}
