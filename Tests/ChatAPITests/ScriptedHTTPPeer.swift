import Foundation
import Locking

/// A loopback HTTP/1.1 server in the test process whose answers a test scripts, to see
/// what the client sends and how it reacts to answers (and non-answers) a real server
/// rarely gives on demand. Each connection runs on its own thread; `stop()` closes the
/// listener, and connections end when the client closes them or after 10 s of silence.
final class ScriptedHTTPPeer: Sendable {
    struct Request: Sendable {
        var method: String
        /// Path and query as sent.
        var target: String
        /// Lower-cased names.
        var headers: [String: String]
        var body: Data
    }

    enum Reply: Sendable {
        case answer(status: Int, headers: [String: String] = [:], body: Data = Data())
        /// Read the request, then close the connection without a word.
        case hangUp
        /// Read the request, wait this long, then close without answering.
        case stall(seconds: Double)

        static func json(_ status: Int, _ text: String, headers: [String: String] = [:]) -> Reply {
            .answer(status: status, headers: headers.merging(["Content-Type": "application/json"]) { $1 },
                    body: Data(text.utf8))
        }
    }

    let url: String
    private let listener: Int32
    private let received = Locked<[Request]>([])
    private let script: @Sendable (Request) -> Reply
    /// Seconds to sleep after each read of at most 64 KiB: a slow link for uploads.
    private let pauseBetweenReads: Double

    var requests: [Request] { received.withLock { $0 } }

    init(pauseBetweenReads: Double = 0, script: @escaping @Sendable (Request) -> Reply) throws {
        self.script = script
        self.pauseBetweenReads = pauseBetweenReads
        let (listener, port) = try Self.loopbackSocket()
        guard listen(listener, 16) == 0 else {
            close(listener)
            throw POSIXError(.EADDRNOTAVAIL)
        }
        self.listener = listener
        url = "http://127.0.0.1:\(port)"
        // Only this thread closes the listener: closing it in `stop()` could let a late
        // accept() here take connections from whichever socket reuses the descriptor.
        Thread.detachNewThread { [self] in
            while true {
                let connection = accept(listener, nil, nil)
                guard connection >= 0 else { break }
                Thread.detachNewThread { self.serve(connection) }
            }
            close(listener)
        }
    }

    /// Stops accepting (accept() then fails and the accept thread closes the socket).
    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
    }

    /// A loopback URL whose port nothing listens on (bound without listening, released).
    static func closedPortURL() throws -> String {
        let (descriptor, port) = try loopbackSocket()
        close(descriptor)
        return "http://127.0.0.1:\(port)"
    }

    /// A TCP socket bound to a free port on 127.0.0.1.
    private static func loopbackSocket() throws -> (descriptor: Int32, port: UInt16) {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw POSIXError(.EMFILE) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(descriptor, pointer, length) == 0 && getsockname(descriptor, pointer, &length) == 0
            }
        }
        guard bound else {
            close(descriptor)
            throw POSIXError(.EADDRNOTAVAIL)
        }
        return (descriptor, UInt16(bigEndian: address.sin_port))
    }

    private func serve(_ connection: Int32) {
        defer { close(connection) }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(connection, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var buffer = Data()
        while let request = readRequest(connection, &buffer) {
            received.withLock { $0.append(request) }
            switch script(request) {
            case .answer(let status, let headers, let body):
                var head = "HTTP/1.1 \(status) Scripted\r\nContent-Length: \(body.count)\r\n"
                for (name, value) in headers { head += "\(name): \(value)\r\n" }
                guard send(connection, Data((head + "\r\n").utf8) + body) else { return }
            case .hangUp:
                return
            case .stall(let seconds):
                Thread.sleep(forTimeInterval: seconds)
                return
            }
        }
    }

    private func readRequest(_ connection: Int32, _ buffer: inout Data) -> Request? {
        let separator = Data("\r\n\r\n".utf8)
        while buffer.range(of: separator) == nil {
            guard receive(connection, into: &buffer) else { return nil }
        }
        let headEnd = buffer.range(of: separator)!
        let lines = String(decoding: buffer[..<headEnd.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
        let requestLine = lines[0].split(separator: " ")
        guard requestLine.count == 3 else { return nil }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let length = Int(headers["content-length"] ?? "0") ?? 0
        buffer.removeSubrange(..<headEnd.upperBound)
        while buffer.count < length {
            guard receive(connection, into: &buffer) else { return nil }
        }
        let body = buffer.prefix(length)
        buffer.removeSubrange(..<(buffer.startIndex + length))
        return Request(method: String(requestLine[0]), target: String(requestLine[1]), headers: headers,
                       body: Data(body))
    }

    private func receive(_ connection: Int32, into buffer: inout Data) -> Bool {
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        let count = recv(connection, &chunk, chunk.count, 0)
        guard count > 0 else { return false }
        buffer.append(contentsOf: chunk[..<count])
        if pauseBetweenReads > 0 { Thread.sleep(forTimeInterval: pauseBetweenReads) }
        return true
    }

    private func send(_ connection: Int32, _ data: Data) -> Bool {
        data.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let sent = Glibc.send(connection, bytes.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
                guard sent > 0 else { return false }
                offset += sent
            }
            return true
        }
    }
}
