import CCurl
import Foundation

/// Collects one response while `curl_easy_perform` runs. curl calls back on the thread
/// that called perform, so a sink is only ever touched by that one thread.
final class ResponseSink {
    enum Destination {
        case memory
        /// A 200 body is written to this descriptor; any other status (an error detail,
        /// a 202 "pending" note) is kept in memory instead, so it can be reported.
        case file(descriptor: Int32)
    }

    /// Error bodies kept from a streamed request are cut here (they are only shown).
    static let maxErrorBodyBytes = 64 * 1024
    /// Headers beyond this many bytes in total are ignored.
    static let maxHeaderBytes = 64 * 1024

    private let handle: UnsafeMutableRawPointer
    private let destination: Destination
    private let maxBodyBytes: Int
    private var headerBytes = 0
    private var streamsToFile: Bool?

    private(set) var headers: [String: String] = [:]
    private(set) var body = Data()
    private(set) var bytesWritten = 0
    /// Why a callback stopped the transfer, if it did.
    private(set) var failure: TransportError.Kind?

    init(handle: UnsafeMutableRawPointer, destination: Destination, maxBodyBytes: Int) {
        self.handle = handle
        self.destination = destination
        self.maxBodyBytes = maxBodyBytes
    }

    /// One header line as curl delivers it, CRLF included. A status line starts a new
    /// response (after a `100 Continue`), so it forgets the headers seen so far.
    func receiveHeaderLine(_ line: UnsafeRawBufferPointer) {
        let text = String(decoding: line, as: UTF8.self)
        if text.hasPrefix("HTTP/") {
            headers = [:]
            headerBytes = 0
            return
        }
        headerBytes += line.count
        guard headerBytes <= Self.maxHeaderBytes, let colon = text.firstIndex(of: ":") else { return }
        let name = text[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
        let value = text[text.index(after: colon)...].trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty else { return }
        if let earlier = headers[name] {
            headers[name] = earlier + ", " + value
        } else {
            headers[name] = value
        }
    }

    /// A chunk of body; false stops the transfer (curl then reports a write error).
    func receiveBody(_ chunk: UnsafeRawBufferPointer) -> Bool {
        switch destination {
        case .memory:
            return appendToMemory(chunk, limit: maxBodyBytes, failWhenFull: true)
        case .file(let descriptor):
            if streamsToFile == nil {
                var status = 0
                _ = chatfs_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
                streamsToFile = status == 200
            }
            if streamsToFile == true {
                return writeToFile(chunk, descriptor: descriptor)
            }
            return appendToMemory(chunk, limit: Self.maxErrorBodyBytes, failWhenFull: false)
        }
    }

    private func appendToMemory(_ chunk: UnsafeRawBufferPointer, limit: Int, failWhenFull: Bool) -> Bool {
        let room = limit - body.count
        guard chunk.count <= room else {
            if failWhenFull {
                failure = .bodyTooLarge(limit: limit)
                return false
            }
            body.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk.prefix(max(room, 0))))
            return true
        }
        body.append(contentsOf: chunk)
        return true
    }

    private func writeToFile(_ chunk: UnsafeRawBufferPointer, descriptor: Int32) -> Bool {
        guard chunk.count <= maxBodyBytes - bytesWritten else {
            failure = .bodyTooLarge(limit: maxBodyBytes)
            return false
        }
        var remaining = UnsafeRawBufferPointer(rebasing: chunk[...])
        while !remaining.isEmpty {
            let written = write(descriptor, remaining.baseAddress, remaining.count)
            if written < 0 {
                if errno == EINTR { continue }
                failure = .destinationWriteFailed(errno: errno)
                return false
            }
            remaining = UnsafeRawBufferPointer(rebasing: remaining[written...])
        }
        bytesWritten += chunk.count
        return true
    }
}
