import CCurl
import Foundation
import Testing
@testable import ChatAPI

@Suite struct ErrorClassifierTests {
    func response(_ status: Int, _ body: String = "", headers: [String: String] = [:]) -> HTTPResponse {
        HTTPResponse(status: status, headers: headers, body: Data(body.utf8))
    }

    @Test(arguments: [200, 201, 202, 204])
    func successIsNoError(status: Int) {
        #expect(ErrorClassifier.error(for: response(status)) == nil)
    }

    @Test func serverErrorsAreRetryableEvenAsPlainText() {
        #expect(ErrorClassifier.error(for: response(500, "Internal Server Error"))
            == .retryable(status: 500, detail: "Internal Server Error"))
        #expect(ErrorClassifier.error(for: response(503, #"{"detail":"maintenance"}"#))
            == .retryable(status: 503, detail: "maintenance"))
        #expect(ErrorClassifier.error(for: response(502)) == .retryable(status: 502, detail: "HTTP 502"))
    }

    @Test func clientErrorsArePermanentWithTheServersDetail() {
        #expect(ErrorClassifier.error(for: response(400, #"{"detail":"Cannot send message to a closed/solved task"}"#))
            == .permanent(status: 400, detail: "Cannot send message to a closed/solved task"))
        #expect(ErrorClassifier.error(for: response(404, #"{"detail":"Request not found"}"#))
            == .permanent(status: 404, detail: "Request not found"))
        #expect(ErrorClassifier.error(for: response(410, "gone")) == .permanent(status: 410, detail: "gone"))
        #expect(ErrorClassifier.error(for: response(401, #"{"detail":"Could not validate credentials"}"#))
            == .permanent(status: 401, detail: "Could not validate credentials"))
    }

    @Test func summarizesValidationErrorLists() {
        let body = """
            {"detail": [{"type": "less_than_equal", "loc": ["query", "limit"], "msg": "Input should be less than or equal to 200"},
                        {"type": "uuid_parsing", "loc": ["path", "request_id"], "msg": "Input should be a valid UUID"}]}
            """
        #expect(ErrorClassifier.error(for: response(422, body)) == .permanent(
            status: 422,
            detail: "query.limit: Input should be less than or equal to 200; path.request_id: Input should be a valid UUID"))
    }

    @Test func rateLimitReadsRetryAfterWhenPresent() {
        let limited = #"{"error": "Rate limit exceeded: 30 per 1 minute"}"#
        #expect(ErrorClassifier.error(for: response(429, limited))
            == .rateLimited(retryAfter: nil, detail: "Rate limit exceeded: 30 per 1 minute"))
        #expect(ErrorClassifier.error(for: response(429, limited, headers: ["retry-after": "17"]))
            == .rateLimited(retryAfter: 17, detail: "Rate limit exceeded: 30 per 1 minute"))
        #expect(ErrorClassifier.retryAfter("Wed, 21 Oct 2015 07:28:00 GMT") == nil)
        #expect(ErrorClassifier.retryAfter("-5") == nil)
        #expect(ErrorClassifier.retryAfter("99999999") == ErrorClassifier.maxRetryAfterSeconds)
    }

    @Test func redirectsAreNotFollowedAndSaySo() {
        let error = ErrorClassifier.error(for: response(302, headers: ["location": "https://elsewhere/login"]))
        #expect(error == .permanent(status: 302, detail: "redirect to https://elsewhere/login not followed"))
    }

    @Test func errorDetailsAreBoundedAndPrintable() {
        let detail = ErrorClassifier.detail(from: Data((String(repeating: "x", count: 5000) + "\u{1B}[31m").utf8), status: 500)
        #expect(detail.count == ErrorClassifier.maxDetailCharacters + 1)
        #expect(detail.hasSuffix("…"))
        #expect(ErrorClassifier.detail(from: Data("bad\u{1B}[31mred\n".utf8), status: 500) == "bad [31mred")
        #expect(ErrorClassifier.detail(from: Data([0xFF, 0xFE]), status: 500) == "\u{FFFD}\u{FFFD}")
    }

    @Test func curlFailuresBeforeTheRequestLeftAreOffline() {
        for code in [CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_SSL_CONNECT_ERROR,
                     CURLE_PEER_FAILED_VERIFICATION] {
            // Whatever curl measured, these codes happen before any request byte is written.
            #expect(TransportError.classify(curlCode: code, requestStarted: true) == .notSent)
            #expect(TransportError.classify(curlCode: code, requestStarted: false) == .notSent)
        }
        // A connect timeout: the transfer never got going.
        #expect(TransportError.classify(curlCode: CURLE_OPERATION_TIMEDOUT, requestStarted: false) == .notSent)
    }

    @Test func curlFailuresAfterTheRequestLeftAreAmbiguous() {
        for code in [CURLE_OPERATION_TIMEDOUT, CURLE_GOT_NOTHING, CURLE_RECV_ERROR, CURLE_SEND_ERROR,
                     CURLE_PARTIAL_FILE] {
            #expect(TransportError.classify(curlCode: code, requestStarted: true) == .noCompleteAnswer)
        }
    }

    @Test func failingToReadTheUploadedFileIsTheClientsOwnFailure() {
        // Before or during sending: the server never got a whole request, and resending
        // the same file fails the same way.
        #expect(TransportError.classify(curlCode: CURLE_READ_ERROR, requestStarted: true) == .sourceReadFailed)
        #expect(TransportError.classify(curlCode: CURLE_READ_ERROR, requestStarted: false) == .sourceReadFailed)
        #expect(ErrorClassifier.error(for: TransportError(kind: .sourceReadFailed, curlCode: 26, message: "gone"))
            == .permanent(status: 0, detail: "gone (curl error 26)"))
    }

    @Test func transportFailuresMapToAPIErrors() {
        func error(_ kind: TransportError.Kind) -> APIError {
            ErrorClassifier.error(for: TransportError(kind: kind, curlCode: 7, message: "boom"))
        }
        #expect(error(.notSent) == .offline("boom (curl error 7)"))
        #expect(error(.notSent).isOffline)
        #expect(error(.noCompleteAnswer) == .ambiguous("boom (curl error 7)"))
        #expect(!error(.noCompleteAnswer).isOffline)
        guard case .malformed = error(.bodyTooLarge(limit: 10)) else {
            Issue.record("a too large body is not malformed")
            return
        }
        guard case .permanent(status: 0, _) = error(.destinationWriteFailed(errno: ENOSPC)) else {
            Issue.record("a failed local write is not permanent")
            return
        }
    }
}
