import ChatAPI
import Testing

/// curl's TLS refusals are configuration problems, named by what is wrong.
struct TLSProblemTests {
    func problem(_ code: Int, _ message: String) -> TLSProblem.Kind? {
        TLSProblem(TransportError(kind: .notSent, curlCode: code, message: message))?.kind
    }

    @Test func theKindComesFromCurlsCodeAndWords() {
        #expect(problem(60, "SSL certificate problem: self-signed certificate") == .untrustedIssuer)
        #expect(problem(60, "SSL certificate problem: unable to get local issuer certificate") == .untrustedIssuer)
        #expect(problem(60, "SSL: no alternative certificate subject name matches target host name '127.0.0.1'") == .nameMismatch)
        #expect(problem(60, "SSL certificate problem: certificate has expired") == .expired)
        #expect(problem(77, "error setting certificate file: /x.pem") == .unusableCABundle)
        #expect(problem(58, "unable to set private key file") == .clientCertificate)
        #expect(problem(51, "SSL: certificate verification failed") == .refused)
    }

    @Test func networkFailuresAreNotTLSProblems() {
        #expect(problem(7, "Failed to connect to 127.0.0.1 port 1: Connection refused") == nil)
        #expect(problem(28, "Operation timed out") == nil)
        #expect(problem(35, "OpenSSL SSL_connect: Connection reset by peer") == nil)
    }
}
