import Glibc
import Hummingbird
import NIOCore

/// The answers of the body-level fault actions (`/_test/faults`, docs/api.md): what a
/// broken proxy, a captive portal, a dying connection or a hostile server sends.
enum FaultyAnswers {
    /// Valid UTF-8 that starts like the backend's JSON and is not JSON.
    static func malformedJSON() -> Response {
        Response(status: .ok, headers: [.contentType: "application/json"],
                 body: .init(byteBuffer: ByteBuffer(string: #"{"chatMessages": [{"id": "1",, "title": tru"#)))
    }

    /// A sign-in page, answered 200 for any URL.
    static func htmlPage() -> Response {
        Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"],
                 body: .init(byteBuffer: ByteBuffer(string: "<!DOCTYPE html><html><head><title>Sign in</title></head>"
                     + "<body><h1>Sign in to the guest network</h1></body></html>\n")))
    }

    /// `bytes` of one JSON array that never ends, written in 64 KiB chunks: the server never
    /// holds more than one chunk, and a client that reads it all holds all of it.
    static func hugeBody(bytes: Int) -> Response {
        let chunkSize = 64 * 1024
        let element = #"{"id":"00000000-0000-0000-0000-000000000000","title":"x"},"#
        let chunk = ByteBuffer(string: String(repeating: element, count: chunkSize / element.utf8.count + 1))
        return Response(
            status: .ok, headers: [.contentType: "application/json", .contentLength: String(bytes)],
            body: ResponseBody(contentLength: bytes) { writer in
                var left = bytes
                var first = ByteBuffer(string: "[")
                first.writeImmutableBuffer(chunk.getSlice(at: 0, length: min(chunkSize, bytes) - 1)!)
                try await writer.write(first)
                left -= first.readableBytes
                while left > 0 {
                    let part = chunk.getSlice(at: 0, length: min(chunkSize, left))!
                    try await writer.write(part)
                    left -= part.readableBytes
                }
                try await writer.finish(nil)
            })
    }

    /// The first half of `response`'s body, as a complete answer.
    static func truncated(_ response: Response) async throws -> Response {
        var response = response
        let body = try await collect(response.body)
        let half = body.getSlice(at: body.readerIndex, length: body.readableBytes / 2)!
        response.headers[.contentLength] = String(half.readableBytes)
        response.body = .init(byteBuffer: half)
        return response
    }

    /// Announces `response`'s whole body, writes half of it, then resets the connection
    /// (SO_LINGER 0 makes the close an RST).
    static func resetMidBody(_ response: Response, channel: any Channel) async throws -> Response {
        var response = response
        let body = try await collect(response.body)
        let half = body.getSlice(at: body.readerIndex, length: body.readableBytes / 2)!
        response.headers[.contentLength] = String(body.readableBytes)
        response.body = ResponseBody(contentLength: body.readableBytes) { writer in
            try await writer.write(half)
            try await (channel as? any SocketOptionProvider)?.setSoLinger(linger(l_onoff: 1, l_linger: 0)).get()
            // Give the half a moment to leave before the reset discards what is unsent.
            try await Task.sleep(for: .milliseconds(100))
            try await channel.close()
            throw CancellationError()
        }
        return response
    }

    /// `response`'s body one byte every `secondsPerByte` (slower than any client's stall
    /// timeout); stops when the client goes.
    static func trickled(_ response: Response, secondsPerByte: Double) async throws -> Response {
        var response = response
        let body = try await collect(response.body)
        response.headers[.contentLength] = String(body.readableBytes)
        response.body = ResponseBody(contentLength: body.readableBytes) { writer in
            var rest = body
            while let byte = rest.readSlice(length: 1) {
                try await writer.write(byte)
                try await Task.sleep(for: .seconds(secondsPerByte))
            }
            try await writer.finish(nil)
        }
        return response
    }

    /// The whole body of an answer the server made (small: these faults apply to JSON
    /// answers and the test's small downloads).
    private static func collect(_ body: ResponseBody) async throws -> ByteBuffer {
        let collector = Collector()
        try await body.write(CollectingWriter(collector: collector))
        return collector.buffer
    }

    /// Not Sendable: used only within the one task that writes the body.
    private final class Collector {
        var buffer = ByteBuffer()
    }

    private struct CollectingWriter: ResponseBodyWriter {
        let collector: Collector

        mutating func write(_ buffer: ByteBuffer) async throws {
            var buffer = buffer
            collector.buffer.writeBuffer(&buffer)
        }

        consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
    }
}
