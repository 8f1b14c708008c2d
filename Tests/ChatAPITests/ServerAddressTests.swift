import Foundation
import Logging
import Testing
@testable import ChatAPI

@Suite struct ServerAddressTests {
    func address(_ text: String, allowInsecureHTTP: Bool = false) throws(ServerAddressError) -> ServerAddress {
        try ServerAddress(URL(string: text)!, allowInsecureHTTP: allowInsecureHTTP)
    }

    @Test(arguments: ["http://127.0.0.1:8080", "http://127.1.2.3", "http://localhost:9000/", "http://[::1]:8080",
                      "http://LOCALHOST", "https://chat.example.com", "https://10.0.0.5:8443"])
    func acceptsHTTPSAndLoopbackHTTP(url: String) {
        #expect(throws: Never.self) { try address(url) }
    }

    @Test(arguments: ["http://chat.example.com", "http://10.0.0.5:8080", "http://128.0.0.1", "http://[::2]",
                      "http://127.0.0.1.example.com", "http://localhost.example.com"])
    func refusesPlainHTTPToOtherHosts(url: String) throws {
        #expect(throws: ServerAddressError.self) { try address(url) }
        #expect(throws: Never.self) { try address(url, allowInsecureHTTP: true) }
    }

    @Test(arguments: ["ftp://127.0.0.1", "file:///tmp/x", "https://user:pw@chat.example.com",
                      "https://chat.example.com/?x=1", "https:///nohost"])
    func refusesOtherURLs(url: String) {
        #expect(throws: ServerAddressError.self) { try address(url, allowInsecureHTTP: true) }
    }

    @Test func theClientRefusesBeforeAnyRequest() {
        #expect(throws: ServerAddressError.insecureHTTP(host: "chat.example.com")) {
            try ChatClient(server: URL(string: "http://chat.example.com")!, credentials: .username("alice"),
                           tokenStore: nil, logger: Logger(label: "test"))
        }
    }

    @Test func appendsTheAPIPrefixOnce() throws {
        #expect(try address("http://127.0.0.1:8080").apiBase == "http://127.0.0.1:8080/api/v1")
        #expect(try address("https://example.com/support/").apiBase == "https://example.com/support/api/v1")
        #expect(try address("https://example.com/api/v1").apiBase == "https://example.com/api/v1")
    }

    @Test func namesTheCacheAfterHostAndPort() throws {
        let client = try ChatClient(server: URL(string: "http://127.0.0.1:8080")!, credentials: .username("alice"),
                                    tokenStore: nil, logger: Logger(label: "test"))
        #expect(client.serverHost == "127.0.0.1_8080")
        #expect(try address("https://Chat.Example.com").cacheKey == "chat.example.com")
        #expect(try address("http://[::1]:8080").cacheKey == "__1_8080")
    }
}
