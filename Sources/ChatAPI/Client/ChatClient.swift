import Foundation
import Logging
import Locking

/// The typed Support Center API (see docs/api.md). Blocking: call it from background or FUSE
/// worker threads. Thread-safe; every method throws only `APIError`.
public final class ChatClient: Sendable {
    /// Bound on JSON answers: a 500-message page of 10,000 characters each, escaped, fits.
    static let maxJSONBytes = 32 * 1024 * 1024
    /// The upload endpoints' limit (docs/api.md, media).
    public static let maxUploadBytes = 50 * 1024 * 1024

    private let address: ServerAddress
    private let credentials: Credentials
    private let tokenStore: (any TokenStore)?
    private let requestTimeout: Double
    private let logger: Logger
    private let transport: HTTPTransport
    /// The bearer token in use with `.username` credentials; nil until first needed.
    private let currentToken = Locked<String?>(nil)

    /// Throws (before any request) when `server` is not http(s), or is plain http to a host
    /// that is not loopback (127.0.0.0/8, ::1, localhost) and allowInsecureHTTP is false.
    /// `caFile`: a PEM bundle of the CAs to trust instead of the system's (a private CA).
    public init(server: URL, credentials: Credentials, tokenStore: (any TokenStore)?,
                allowInsecureHTTP: Bool = false, requestTimeout: Double = 60, caFile: String? = nil, logger: Logger)
        throws(ServerAddressError)
    {
        address = try ServerAddress(server, allowInsecureHTTP: allowInsecureHTTP)
        transport = HTTPTransport(caFile: caFile)
        self.credentials = credentials
        self.tokenStore = tokenStore
        self.requestTimeout = requestTimeout
        self.logger = logger
    }

    /// The server as a directory name for its cache, e.g. `127.0.0.1_8080`.
    public var serverHost: String { address.cacheKey }

    /// The same name before a client exists (the cache directory holds the client's token),
    /// nil for a URL no client would accept the form of.
    public static func serverHost(of server: URL) -> String? {
        try? ServerAddress(server, allowInsecureHTTP: true).cacheKey
    }

    // MARK: Endpoints

    /// Logs in with the username credentials and stores the new token.
    public func login() throws(APIError) -> LoginResponse {
        guard case .username(let username) = credentials else {
            throw .authenticationFailed("this client was given a token, not a username to log in with")
        }
        let body = try Self.encode(LoginRequest(username: username))
        let response = try exchange(Call(method: .post, path: "/auth/login", body: .bytes(body)), bearer: nil).response
        if response.status == 403 || response.status == 404 {
            throw .authenticationFailed(ErrorClassifier.detail(from: response.body, status: response.status))
        }
        let login = try decode(LoginResponse.self, from: checked(response), path: "/auth/login")
        guard Self.isUsableToken(login.accessToken) else {
            throw .malformed("/auth/login: the access token is empty or not printable ASCII")
        }
        currentToken.withLock { $0 = login.accessToken }
        do {
            try tokenStore?.save(login.accessToken)
        } catch {
            logger.warning("could not store the token: \(error)")
        }
        return login
    }

    /// The caller's chats, newest request first (`GET /chat/page-data`).
    public func chatList() throws(APIError) -> [ChatSummary] {
        try fetch(ChatPageData.self, Call(method: .get, path: "/chat/page-data")).chatMessages
    }

    /// The chat list, asked for only if it changed since the answer tagged `ifNoneMatch`
    /// (an ETag this call returned before; nil asks unconditionally).
    public func chatList(ifNoneMatch: String?) throws(APIError) -> ChatListAnswer {
        var call = Call(method: .get, path: "/chat/page-data")
        if let ifNoneMatch { call.headers.append((name: "If-None-Match", value: ifNoneMatch)) }
        let response = try authorizedExchange(call).response
        if response.status == 304, ifNoneMatch != nil {
            return .unchanged
        }
        let list = try decode(ChatPageData.self, from: checked(response), path: call.path).chatMessages
        return .list(list, etag: response.header("etag").flatMap(Self.usableTag))
    }

    public func messages(chatID: String, _ query: MessageQuery) throws(APIError) -> MessagePage {
        let call = Call(method: .get, path: "/chat/messages/request/\(Self.segment(chatID))",
                        query: query.parameters)
        let response = try checked(authorizedExchange(call).response)
        let messages = try decode([ChatMessage].self, from: response, path: call.path)
        return MessagePage(messages: messages, headers: response)
    }

    /// Sends a message; the server answers 201 (200 for a repeated `clientTempID` on a
    /// delta server). The deployed backend does not deduplicate: after `.ambiguous`,
    /// look for the message before sending again.
    public func send(_ message: OutgoingMessage) throws(APIError) -> ChatMessage {
        try fetch(ChatMessage.self, Call(method: .post, path: "/chat/messages", body: .bytes(Self.encode(message))))
    }

    @discardableResult
    public func markRead(chatID: String) throws(APIError) -> MarkReadResponse {
        try fetch(MarkReadResponse.self, Call(method: .post, path: "/chat/\(Self.segment(chatID))/mark-read"))
    }

    /// Unreliable on the deployed backend: read it as "something is unread" only.
    public func unreadCount(chatID: String) throws(APIError) -> Int {
        try fetch(UnreadResponse.self, Call(method: .get, path: "/chat/\(Self.segment(chatID))/unread")).unreadCount
    }

    public func chatFiles(chatID: String) throws(APIError) -> [ChatFile] {
        try fetch([ChatFile].self, Call(method: .get, path: "/chat-files/request/\(Self.segment(chatID))"))
    }

    public func screenshots(chatID: String) throws(APIError) -> [Screenshot] {
        try fetch([Screenshot].self, Call(method: .get, path: "/screenshots/request/\(Self.segment(chatID))"))
    }

    /// One attachment's details, `fileHash` included once the upload is complete.
    public func mediaInfo(_ kind: MediaKind, id: Int) throws(APIError) -> MediaInfo {
        let call = Call(method: .get, path: "\(Self.mediaPath(kind))/\(id)")
        switch kind {
        case .chatFile: return MediaInfo(try fetch(ChatFile.self, call))
        case .screenshot: return MediaInfo(try fetch(Screenshot.self, call))
        }
    }

    /// Streams the bytes to `destination` (created/truncated, mode 0600); returns the byte
    /// count. On any failure the destination is removed. A download may take as long as
    /// it keeps moving: it fails when it stalls for the request timeout.
    /// 202 → .retryable(status: 202, "upload pending"), 404/410 → .permanent.
    public func download(_ kind: MediaKind, id: Int, to destination: String, maxBytes: Int) throws(APIError) -> Int {
        let descriptor = open(destination, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw .permanent(status: 0, detail: "cannot create \(destination): \(String(cString: strerror(errno)))")
        }
        var call = Call(method: .get, path: "\(Self.mediaPath(kind))/\(id)/download")
        call.streamTo = descriptor
        call.maxBodyBytes = maxBytes
        call.timeout = .whileStalled(seconds: requestTimeout)
        let count: Int
        do throws(APIError) {
            let (response, written) = try authorizedExchange(call)
            if response.status == 202 {
                throw .retryable(status: 202, detail: "upload pending")
            }
            guard try checked(response).status == 200 else {
                throw .malformed("\(call.path): HTTP \(response.status) instead of the file")
            }
            count = written
        } catch {
            close(descriptor)
            unlink(destination)
            throw error
        }
        guard close(descriptor) == 0 else {
            let detail = String(cString: strerror(errno))
            unlink(destination)
            throw .permanent(status: 0, detail: "cannot write \(destination): \(detail)")
        }
        return count
    }

    /// Multipart upload (field `file`, ≤ `maxUploadBytes`) of bytes in memory to
    /// `POST /chat-files/upload?request_id=` (`.chatFile`) or `/screenshots/upload?request_id=`
    /// (`.screenshot`). Returns the stored attachment: the server renames screenshots, so
    /// a message must refer to the returned `fileName`. Like a download, an upload may take
    /// as long as it keeps moving and fails when it stalls for the request timeout; a
    /// failure after the request went out is in doubt (the attachment may exist).
    /// Contents that are too large are `.permanent(status: 0, …)` before any request; so
    /// are a file name or type with control characters.
    public func upload(_ kind: MediaKind, chatID: String, fileName: String, mimeType: String,
                       contents: Data) throws(APIError) -> MediaInfo
    {
        let file = try UploadCheck.file(contents, fileName: fileName, mimeType: mimeType, maxBytes: Self.maxUploadBytes)
        var call = Call(method: .post, path: "\(Self.mediaPath(kind))/upload", query: [("request_id", chatID)],
                        body: .multipartFile(file))
        call.timeout = .whileStalled(seconds: requestTimeout)
        let response = try checked(authorizedExchange(call).response)
        switch kind {
        case .chatFile:
            return MediaInfo(try decode(ChatFileUploadResponse.self, from: response, path: call.path).file)
        case .screenshot:
            return MediaInfo(try decode(ScreenshotUploadResponse.self, from: response, path: call.path).screenshot)
        }
    }

    /// Asks the server once which generation it is: a delta request answered with an
    /// X-Newest-Sequence header means delta (the deployed backend ignores the parameter).
    public func detectGeneration(probeChatID: String) throws(APIError) -> ServerGeneration {
        let call = Call(method: .get, path: "/chat/messages/request/\(Self.segment(probeChatID))",
                        query: MessageQuery.since(sequence: 0, limit: 1).parameters)
        let response = try checked(authorizedExchange(call).response)
        return response.header("x-newest-sequence") == nil ? .legacy : .delta
    }

    // MARK: Requests

    /// One request as the client describes it; `exchange` turns it into HTTP.
    struct Call {
        var method: HTTPMethod
        var path: String
        /// Values are percent-encoded when the URL is built.
        var query: [(name: String, value: String)] = []
        var body: HTTPRequestBody?
        var maxBodyBytes = ChatClient.maxJSONBytes
        var timeout: RequestTimeout?
        /// A descriptor that receives a 200 body instead of memory.
        var streamTo: Int32?
        /// Header lines beyond those every request carries (`If-None-Match`).
        var headers: [(name: String, value: String)] = []

        var pathAndQuery: String {
            query.isEmpty ? path
                : path + "?" + query.map { "\($0.name)=\(ChatClient.percentEncoded($0.value))" }.joined(separator: "&")
        }
    }

    /// An authorized request decoded as `T`.
    func fetch<T: Decodable>(_ type: T.Type, _ call: Call) throws(APIError) -> T {
        try decode(type, from: checked(authorizedExchange(call).response), path: call.path)
    }

    /// Performs `call` with the bearer token and returns any answer but a 401 it could
    /// recover from. With `.username`: a 401 logs in again once and retries; a 401 right
    /// after a fresh login is `.retryable` (the deployed backend's overload answer).
    private func authorizedExchange(_ call: Call) throws(APIError) -> (response: HTTPResponse, bytesWritten: Int) {
        if case .token(let token) = credentials {
            return try exchange(call, bearer: token)
        }
        var (token, isFresh) = try tokenForRequest()
        var result = try exchange(call, bearer: token)
        guard result.response.status == 401 else { return result }
        if !isFresh {
            logger.debug("token refused, logging in again")
            token = try renewToken(replacing: token)
            result = try exchange(call, bearer: token)
            guard result.response.status == 401 else { return result }
        }
        throw .retryable(status: 401, detail: "refused right after a fresh login (server overloaded?): "
            + ErrorClassifier.detail(from: result.response.body, status: 401))
    }

    /// The token to use, and whether it was just issued by a login.
    private func tokenForRequest() throws(APIError) -> (token: String, isFresh: Bool) {
        if let token = currentToken.withLock({ $0 }) {
            return (token, false)
        }
        if let stored = tokenStore?.load() {
            if Self.isUsableToken(stored) {
                currentToken.withLock { $0 = $0 ?? stored }
                return (stored, false)
            }
            logger.warning("ignoring the stored token: it is not printable ASCII")
        }
        return (try login().accessToken, true)
    }

    /// A new token after `refused` was refused: another thread's if it already logged in
    /// again, else a new login's.
    private func renewToken(replacing refused: String) throws(APIError) -> String {
        if let newer = currentToken.withLock({ $0 }), newer != refused {
            return newer
        }
        return try login().accessToken
    }

    /// Sends one request (the bearer token, if any, only in its header) and logs it.
    private func exchange(_ call: Call, bearer: String?) throws(APIError) -> (response: HTTPResponse, bytesWritten: Int) {
        var headers = [(name: "Accept", value: "application/json")]
        // A multipart body gets its Content-Type (with the boundary) from curl.
        if case .bytes = call.body {
            headers.append((name: "Content-Type", value: "application/json"))
        }
        if let bearer {
            headers.append((name: "Authorization", value: "Bearer \(bearer)"))
        }
        headers += call.headers
        let request = HTTPRequest(method: call.method, url: address.apiBase + call.pathAndQuery, headers: headers,
                                  body: call.body,
                                  maxBodyBytes: call.maxBodyBytes,
                                  timeout: call.timeout ?? .total(seconds: requestTimeout))
        let start = ContinuousClock.now
        func elapsed() -> String {
            "\(Int((ContinuousClock.now - start) / .milliseconds(1))) ms"
        }
        do {
            let result = if let descriptor = call.streamTo {
                try transport.perform(request, streamingBodyTo: descriptor)
            } else {
                (response: try transport.perform(request), bytesWritten: 0)
            }
            logger.debug("\(call.method.rawValue) \(call.pathAndQuery) → \(result.response.status) in \(elapsed())")
            return result
        } catch {
            logger.debug("\(call.method.rawValue) \(call.pathAndQuery) failed after \(elapsed()): \(error)")
            throw ErrorClassifier.error(for: error)
        }
    }

    /// The response if its status is 2xx; otherwise its classified error.
    private func checked(_ response: HTTPResponse) throws(APIError) -> HTTPResponse {
        if let error = ErrorClassifier.error(for: response) {
            throw error
        }
        return response
    }

    private func decode<T: Decodable>(_ type: T.Type, from response: HTTPResponse, path: String) throws(APIError) -> T {
        do {
            return try WireJSON.decoder().decode(type, from: response.body)
        } catch let error as DecodingError {
            throw .malformed("\(path): \(error.summary)")
        } catch {
            throw .malformed("\(path): \(error)")
        }
    }

    // MARK: Helpers

    private static func mediaPath(_ kind: MediaKind) -> String {
        switch kind {
        case .chatFile: "/chat-files"
        case .screenshot: "/screenshots"
        }
    }

    /// Unreserved URL characters; everything else in an id is percent-encoded, so an id
    /// from the server can never change the path.
    private static let unreserved = CharacterSet(
        charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    private static func percentEncoded(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
    }

    static func segment(_ id: String) -> String {
        let encoded = percentEncoded(id)
        // "." and ".." are unreserved but would be resolved as path steps.
        return encoded == "." || encoded == ".." ? encoded.replacingOccurrences(of: ".", with: "%2E") : encoded
    }

    /// An ETag goes back into a header line: printable ASCII only, and short (the server is
    /// untrusted); anything else is not sent back, so the next list call is unconditional.
    private static func usableTag(_ tag: String) -> String? {
        tag.utf8.count <= 256 && !tag.isEmpty && tag.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F } ? tag : nil
    }

    /// A bearer token goes into a header line: printable ASCII without spaces only.
    private static func isUsableToken(_ token: String) -> Bool {
        !token.isEmpty && token.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F }
    }

    private struct LoginRequest: Encodable {
        var username: String
    }

    static func encode(_ value: some Encodable) throws(APIError) -> Data {
        do {
            return try WireJSON.encoder().encode(value)
        } catch {
            throw .permanent(status: 0, detail: "cannot encode the request: \(error)")
        }
    }
}
