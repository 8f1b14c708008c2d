import ArgumentParser
import ChatAPI
import ChatConfig
import ChatFS

/// A runtime failure with the exit status it maps to. Errors from the libraries are
/// sorted here, in one place, so every command exits the same way for the same cause.
struct CommandFailure: Error, CustomStringConvertible {
    var status: ExitStatus
    var description: String

    init(_ status: ExitStatus, _ description: String) {
        self.status = status
        self.description = description
    }

    /// The status for an error a command let through; nil for ArgumentParser's own
    /// (usage errors, `ExitCode`, help), which it reports itself. Some of those are of
    /// types internal to ArgumentParser (a `help` request runs a command that throws one),
    /// so they are recognized by their module.
    init?(_ error: any Error) {
        if String(reflecting: type(of: error)).hasPrefix("ArgumentParser.") { return nil }
        switch error {
        case let failure as CommandFailure:
            self = failure
        case let error as MountError:
            self.init(.cannotMount, "\(error)")
        case let error as ConfigError:
            self.init(.configuration, "\(error)")
        case let error as APIError:
            self.init(Self.status(of: error), "\(error)" + Self.advice(for: error))
        default:
            self.init(.failure, "\(error)")
        }
    }

    /// What the user can do about a refused certificate.
    static func advice(for error: APIError) -> String {
        guard case .certificate(let problem) = error else { return "" }
        switch problem.kind {
        case .untrustedIssuer: return "; if the server uses a private CA, give its certificate with --ca-file (or SSL_CERT_FILE)"
        case .nameMismatch: return "; use the host name the certificate is for in --server"
        case .unusableCABundle: return "; check --ca-file, CURL_CA_BUNDLE and SSL_CERT_FILE"
        case .expired, .notYetValid, .clientCertificate, .refused: return ""
        }
    }

    static func status(of error: APIError) -> ExitStatus {
        switch error {
        case .certificate: .configuration
        case .offline, .ambiguous, .noAnswer, .retryable, .rateLimited: .unavailable
        case .authenticationFailed, .permanent: .refused
        case .malformed: .failure
        }
    }
}
