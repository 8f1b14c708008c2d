import Foundation

public enum HTTPMethod: String, Sendable {
    case get = "GET"
    case post = "POST"
}

/// How long a request may take before curl gives up on it.
public enum RequestTimeout: Sendable, Equatable {
    /// The whole exchange (connect, send, wait, receive) must finish within this many seconds.
    case total(seconds: Double)
    /// No limit on the total, but abort when less than 1 KiB/s moves (sent or received)
    /// for this many seconds: for uploads and downloads whose size makes any fixed total
    /// wrong.
    case whileStalled(seconds: Double)
}

/// What a POST carries.
public enum HTTPRequestBody: Sendable, Equatable {
    /// These bytes, with the Content-Type the request's headers give.
    case bytes(Data)
    /// A `multipart/form-data` body holding one local file, which curl reads while sending.
    case multipartFile(MultipartFile)
}

public struct HTTPRequest: Sendable {
    public var method: HTTPMethod
    /// Absolute http(s) URL, already percent-encoded.
    public var url: String
    /// Extra header lines as (name, value); never log them (one may be the bearer token).
    public var headers: [(name: String, value: String)]
    /// Sent for POST (an empty body when nil).
    public var body: HTTPRequestBody?
    /// Largest response body accepted; a longer one fails with `.bodyTooLarge`.
    public var maxBodyBytes: Int
    public var timeout: RequestTimeout

    public init(method: HTTPMethod, url: String, headers: [(name: String, value: String)] = [],
                body: HTTPRequestBody? = nil, maxBodyBytes: Int, timeout: RequestTimeout) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.maxBodyBytes = maxBodyBytes
        self.timeout = timeout
    }
}

public struct HTTPResponse: Sendable {
    public var status: Int
    /// Header names lower-cased; repeated headers joined with ", ".
    public var headers: [String: String]
    public var body: Data

    public init(status: Int, headers: [String: String], body: Data) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The value of a header, looked up case-insensitively.
    public func header(_ name: String) -> String? {
        headers[name.lowercased()]
    }
}
