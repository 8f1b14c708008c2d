import CCurl
import Foundation
import Testing
@testable import ChatAPI

@Suite struct HTTPTransportTests {
    @Test func refusesHeaderValuesThatWouldInjectLines() throws {
        let peer = try ScriptedHTTPPeer { _ in .json(200, "{}") }
        defer { peer.stop() }
        for value in ["t\r\nX-Injected: 1", "t\nX-Injected: 1", "t\rX"] {
            let request = HTTPRequest(method: .get, url: peer.url + "/", headers: [(name: "Authorization", value: value)],
                                      maxBodyBytes: 1000, timeout: .total(seconds: 5))
            #expect(throws: TransportError.self) { try HTTPTransport().perform(request) }
        }
        #expect(peer.requests.isEmpty)
    }

    @Test func boundsBodiesKeptInMemory() throws {
        let peer = try ScriptedHTTPPeer { _ in .answer(status: 200, body: Data(count: 5000)) }
        defer { peer.stop() }
        let transport = HTTPTransport()
        func fetch(limit: Int) throws(TransportError) -> HTTPResponse {
            try transport.perform(HTTPRequest(method: .get, url: peer.url + "/", maxBodyBytes: limit, timeout: .total(seconds: 5)))
        }
        #expect(try fetch(limit: 5000).body.count == 5000)
        #expect(throws: TransportError(kind: .bodyTooLarge(limit: 4999), curlCode: Int(CURLE_WRITE_ERROR.rawValue),
                                       message: "response body larger than 4999 bytes")) {
            try fetch(limit: 4999)
        }
    }

    @Test func lowerCasesHeaderNames() throws {
        let peer = try ScriptedHTTPPeer { _ in .json(200, "[]", headers: ["X-Total-Count": "12"]) }
        defer { peer.stop() }
        let response = try HTTPTransport().perform(
            HTTPRequest(method: .get, url: peer.url + "/", maxBodyBytes: 1000, timeout: .total(seconds: 5)))
        #expect(response.status == 200)
        #expect(response.headers["x-total-count"] == "12")
        #expect(response.header("X-Total-Count") == "12")
        #expect(response.headers["content-type"] == "application/json")
    }
}
