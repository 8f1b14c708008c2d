#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// SHA-256 as lower-case hex (the API's `fileHash`), computed by OpenSSL.
public enum SHA256Digest {
    public enum Failure: Error, Equatable, CustomStringConvertible {
        case cannotRead(path: String, reason: String)
        /// An OpenSSL call failed (allocation failure, or a provider that refuses SHA-256).
        case openSSL(String)

        public var description: String {
            switch self {
            case .cannotRead(let path, let reason): "cannot read \(path): \(reason)"
            case .openSSL(let call): "OpenSSL could not compute SHA-256 (\(call) failed)"
            }
        }
    }

    /// Read size for files: large enough that syscalls do not dominate, small enough that a
    /// 50 MB attachment is never held in memory whole.
    private static let fileChunkSize = 256 * 1024

    public static func hex(of bytes: [UInt8]) throws(Failure) -> String {
        var hasher = try SHA256Hasher()
        try hasher.update(bytes)
        return try hasher.finalizeHex()
    }

    /// The digest of the file at `path`, read in chunks.
    public static func hex(ofFileAt path: String) throws(Failure) -> String {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .cannotRead(path: path, reason: String(cString: strerror(errno))) }
        defer { close(descriptor) }
        var hasher = try SHA256Hasher()
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: fileChunkSize, alignment: 1)
        defer { buffer.deallocate() }
        while true {
            let count = read(descriptor, buffer.baseAddress, buffer.count)
            if count == 0 { break }
            if count < 0 {
                if errno == EINTR { continue }
                throw .cannotRead(path: path, reason: String(cString: strerror(errno)))
            }
            try hasher.update(UnsafeRawBufferPointer(rebasing: buffer[..<count]))
        }
        return try hasher.finalizeHex()
    }
}
