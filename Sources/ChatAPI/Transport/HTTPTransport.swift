import CCurl
import Foundation

/// A thin, blocking libcurl client. Thread-safe: each call borrows an easy handle from a
/// pool and gives it back, so concurrent callers run in parallel and connections stay
/// alive between calls.
public final class HTTPTransport: Sendable {
    /// Reaching the server should be quick; the server's slowness is in answering.
    public static let connectTimeoutMilliseconds = 10_000

    private let pool: CurlHandlePool
    /// A PEM bundle of CAs to verify servers with instead of the system's.
    private let caFile: String?

    public init(maxIdleHandles: Int = 16, caFile: String? = nil) {
        pool = CurlHandlePool(maxIdleHandles: maxIdleHandles)
        self.caFile = caFile
    }

    /// Performs the request and returns the response with its body in memory.
    public func perform(_ request: HTTPRequest) throws(TransportError) -> HTTPResponse {
        try run(request, destination: .memory).response
    }

    /// Performs the request and writes a 200 body to `fileDescriptor` (at most
    /// `request.maxBodyBytes`). Any other status comes back with its body in memory
    /// (cut at 64 KiB) and nothing written.
    public func perform(_ request: HTTPRequest, streamingBodyTo fileDescriptor: Int32)
        throws(TransportError) -> (response: HTTPResponse, bytesWritten: Int)
    {
        try run(request, destination: .file(descriptor: fileDescriptor))
    }

    private func run(_ request: HTTPRequest, destination: ResponseSink.Destination)
        throws(TransportError) -> (response: HTTPResponse, bytesWritten: Int)
    {
        let handle = try pool.take()
        defer { pool.giveBack(handle) }
        let easy = handle.raw

        var headerList: UnsafeMutablePointer<curl_slist>?
        defer { curl_slist_free_all(headerList) }
        // No "Expect: 100-continue" round trip for larger bodies.
        for line in request.headers.map({ "\($0.name): \($0.value)" }) + ["Expect:"] {
            // Bytes, not Characters: "\r\n" is one Character equal to neither "\r" nor "\n".
            guard !line.utf8.contains(where: { $0 == 0x0D || $0 == 0x0A || $0 == 0 }) else {
                throw TransportError(kind: .notSent, curlCode: 0,
                                     message: "a request header contains a line break")
            }
            guard let extended = curl_slist_append(headerList, line) else {
                throw TransportError(kind: .notSent, curlCode: 0, message: "out of memory for headers")
            }
            headerList = extended
        }

        var mime: OpaquePointer?
        // Runs before `giveBack` (defers run in reverse); curl_mime_free also unbinds the
        // body from the handle.
        defer { curl_mime_free(mime) }
        if request.method == .post, case .multipartFile(let file) = request.body {
            mime = try file.makeCurlMime(for: easy)
        }

        let sink = ResponseSink(handle: easy, destination: destination, maxBodyBytes: request.maxBodyBytes)
        var errorBuffer = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)

        let code: CURLcode = try withExtendedLifetime(sink) { () throws(TransportError) -> CURLcode in
            try errorBuffer.withUnsafeMutableBufferPointer { (buffer) throws(TransportError) -> CURLcode in
                try configure(easy, for: request, headers: headerList, mime: mime,
                              sink: Unmanaged.passUnretained(sink).toOpaque(),
                              errorBuffer: buffer.baseAddress!)
                return curl_easy_perform(easy)
            }
        }

        if let failure = sink.failure {
            throw TransportError(kind: failure, curlCode: Int(code.rawValue), message: Self.describe(failure))
        }
        guard code == CURLE_OK else {
            let detail = String(decoding: errorBuffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw TransportError(
                kind: TransportError.classify(curlCode: code, requestStarted: requestStarted(easy),
                                              answerStarted: answerStarted(easy)),
                curlCode: Int(code.rawValue),
                message: detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail)
        }
        var status = 0
        _ = chatfs_curl_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &status)
        return (HTTPResponse(status: status, headers: sink.headers, body: sink.body), sink.bytesWritten)
    }

    /// Whether curl got far enough that request bytes may have left: past connecting
    /// (pre-transfer time recorded), or request or response bytes counted. Errs towards
    /// "started", which only costs a check before a POST is retried.
    private func requestStarted(_ easy: UnsafeMutableRawPointer) -> Bool {
        var preTransferMicroseconds: curl_off_t = 0
        var requestBytes = 0
        var responseHeaderBytes = 0
        _ = chatfs_curl_getinfo_off_t(easy, CURLINFO_PRETRANSFER_TIME_T, &preTransferMicroseconds)
        _ = chatfs_curl_getinfo_long(easy, CURLINFO_REQUEST_SIZE, &requestBytes)
        _ = chatfs_curl_getinfo_long(easy, CURLINFO_HEADER_SIZE, &responseHeaderBytes)
        return preTransferMicroseconds > 0 || requestBytes > 0 || responseHeaderBytes > 0
    }

    /// Whether any byte of an answer (a status line, a header) came back.
    private func answerStarted(_ easy: UnsafeMutableRawPointer) -> Bool {
        var responseHeaderBytes = 0
        _ = chatfs_curl_getinfo_long(easy, CURLINFO_HEADER_SIZE, &responseHeaderBytes)
        return responseHeaderBytes > 0
    }

    private func configure(_ easy: UnsafeMutableRawPointer, for request: HTTPRequest,
                           headers: UnsafeMutablePointer<curl_slist>?, mime: OpaquePointer?,
                           sink: UnsafeMutableRawPointer,
                           errorBuffer: UnsafeMutablePointer<CChar>) throws(TransportError)
    {
        func check(_ result: CURLcode, _ option: String) throws(TransportError) {
            guard result == CURLE_OK else {
                throw TransportError(kind: .notSent, curlCode: Int(result.rawValue),
                                     message: "libcurl refused option \(option)")
            }
        }
        try check(chatfs_curl_setopt_pointer(easy, CURLOPT_ERRORBUFFER, errorBuffer), "ERRORBUFFER")
        try check(chatfs_curl_setopt_string(easy, CURLOPT_URL, request.url), "URL")
        // Signals are process-wide; with threads, timeouts must not use SIGALRM.
        try check(chatfs_curl_setopt_long(easy, CURLOPT_NOSIGNAL, 1), "NOSIGNAL")
        try check(chatfs_curl_setopt_string(easy, CURLOPT_PROTOCOLS_STR, "http,https"), "PROTOCOLS_STR")
        try check(chatfs_curl_setopt_long(easy, CURLOPT_FOLLOWLOCATION, 0), "FOLLOWLOCATION")
        if request.method != .get {
            // On a reused keep-alive connection that dies before any answer, libcurl quietly
            // sends the request again on a new one. For a POST the server may already have
            // applied the first (the deployed backend would store the message twice): a
            // fresh connection turns that case into an error the caller sees as ambiguous.
            try check(chatfs_curl_setopt_long(easy, CURLOPT_FRESH_CONNECT, 1), "FRESH_CONNECT")
        }
        try check(chatfs_curl_setopt_long(easy, CURLOPT_SSL_VERIFYPEER, 1), "SSL_VERIFYPEER")
        try check(chatfs_curl_setopt_long(easy, CURLOPT_SSL_VERIFYHOST, 2), "SSL_VERIFYHOST")
        if let caFile { try check(chatfs_curl_setopt_string(easy, CURLOPT_CAINFO, caFile), "CAINFO") }
        // "" offers every encoding curl can decode (gzip, deflate) and decodes it.
        try check(chatfs_curl_setopt_string(easy, CURLOPT_ACCEPT_ENCODING, ""), "ACCEPT_ENCODING")
        try check(chatfs_curl_setopt_long(easy, CURLOPT_CONNECTTIMEOUT_MS, Self.connectTimeoutMilliseconds),
                  "CONNECTTIMEOUT_MS")
        switch request.timeout {
        case .total(let seconds):
            try check(chatfs_curl_setopt_long(easy, CURLOPT_TIMEOUT_MS, Self.milliseconds(seconds)), "TIMEOUT_MS")
        case .whileStalled(let seconds):
            try check(chatfs_curl_setopt_long(easy, CURLOPT_LOW_SPEED_LIMIT, 1024), "LOW_SPEED_LIMIT")
            try check(chatfs_curl_setopt_long(easy, CURLOPT_LOW_SPEED_TIME, max(1, Self.milliseconds(seconds) / 1000)),
                      "LOW_SPEED_TIME")
        }
        try check(chatfs_curl_setopt_long(easy, CURLOPT_TCP_KEEPALIVE, 1), "TCP_KEEPALIVE")
        try check(chatfs_curl_setopt_long(easy, CURLOPT_TCP_KEEPIDLE, 60), "TCP_KEEPIDLE")
        try check(chatfs_curl_setopt_long(easy, CURLOPT_TCP_KEEPINTVL, 30), "TCP_KEEPINTVL")
        try check(chatfs_curl_setopt_string(easy, CURLOPT_USERAGENT, "chatfs"), "USERAGENT")
        try check(chatfs_curl_setopt_slist(easy, CURLOPT_HTTPHEADER, headers), "HTTPHEADER")

        if let mime {
            // MIMEPOST makes the request a POST and sets its multipart Content-Type.
            try check(chatfs_curl_setopt_mime(easy, CURLOPT_MIMEPOST, mime), "MIMEPOST")
        } else if request.method == .post {
            let body = if case .bytes(let bytes) = request.body { bytes } else { Data() }
            try check(chatfs_curl_setopt_long(easy, CURLOPT_POST, 1), "POST")
            try check(chatfs_curl_setopt_off_t(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count)),
                      "POSTFIELDSIZE_LARGE")
            // COPYPOSTFIELDS copies the bytes, so nothing has to outlive this call.
            let result = body.withUnsafeBytes { bytes in
                guard let start = bytes.baseAddress, !bytes.isEmpty else {
                    return chatfs_curl_setopt_string(easy, CURLOPT_COPYPOSTFIELDS, "")
                }
                return chatfs_curl_setopt_pointer(easy, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: start))
            }
            try check(result, "COPYPOSTFIELDS")
        }

        try check(chatfs_curl_setopt_data_callback(easy, CURLOPT_HEADERFUNCTION) { buffer, size, count, userdata in
            guard let buffer, let userdata else { return 0 }
            let length = size * count
            Unmanaged<ResponseSink>.fromOpaque(userdata).takeUnretainedValue()
                .receiveHeaderLine(UnsafeRawBufferPointer(start: buffer, count: length))
            return length
        }, "HEADERFUNCTION")
        try check(chatfs_curl_setopt_pointer(easy, CURLOPT_HEADERDATA, sink), "HEADERDATA")
        try check(chatfs_curl_setopt_data_callback(easy, CURLOPT_WRITEFUNCTION) { buffer, size, count, userdata in
            guard let buffer, let userdata else { return 0 }
            let length = size * count
            let accepted = Unmanaged<ResponseSink>.fromOpaque(userdata).takeUnretainedValue()
                .receiveBody(UnsafeRawBufferPointer(start: buffer, count: length))
            return accepted ? length : 0
        }, "WRITEFUNCTION")
        try check(chatfs_curl_setopt_pointer(easy, CURLOPT_WRITEDATA, sink), "WRITEDATA")
    }

    /// Seconds as curl's `long` milliseconds, bounded so no input can overflow.
    private static func milliseconds(_ seconds: Double) -> Int {
        guard seconds.isFinite, seconds > 0 else { return 1 }
        return Int(min(seconds, 86_400) * 1000)
    }

    private static func describe(_ failure: TransportError.Kind) -> String {
        switch failure {
        case .bodyTooLarge(let limit): "response body larger than \(limit) bytes"
        case .destinationWriteFailed(let code): "writing the body failed: \(String(cString: strerror(code)))"
        case .notSent, .noCompleteAnswer, .noAnswer, .sourceReadFailed: "transfer failed"
        }
    }
}
