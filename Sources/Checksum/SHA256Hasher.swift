import CCrypto

/// Incremental SHA-256 over OpenSSL's EVP digest API: feed the data in pieces with
/// `update`, then take the digest once with `finalizeHex()`.
///
/// Noncopyable so that the OpenSSL context has exactly one owner, and `finalizeHex()`
/// consumes the hasher: EVP refuses updates after the final step, so the compiler keeps
/// callers from trying.
public struct SHA256Hasher: ~Copyable {
    private let context: OpaquePointer

    public init() throws(SHA256Digest.Failure) {
        guard let context = EVP_MD_CTX_new() else { throw .openSSL("EVP_MD_CTX_new") }
        guard EVP_DigestInit_ex(context, EVP_sha256(), nil) == 1 else {
            EVP_MD_CTX_free(context)
            throw .openSSL("EVP_DigestInit_ex")
        }
        self.context = context
    }

    deinit { EVP_MD_CTX_free(context) }

    public mutating func update(_ bytes: UnsafeRawBufferPointer) throws(SHA256Digest.Failure) {
        guard let base = bytes.baseAddress else { return }
        try update(base, count: bytes.count)
    }

    public mutating func update(_ bytes: [UInt8]) throws(SHA256Digest.Failure) {
        try update(bytes, count: bytes.count)
    }

    private mutating func update(_ base: UnsafeRawPointer, count: Int) throws(SHA256Digest.Failure) {
        guard count > 0 else { return }
        guard EVP_DigestUpdate(context, base, count) == 1 else { throw .openSSL("EVP_DigestUpdate") }
    }

    /// The digest of everything fed so far, as 64 lower-case hex digits.
    public consuming func finalizeHex() throws(SHA256Digest.Failure) -> String {
        let context = self.context
        discard self
        defer { EVP_MD_CTX_free(context) }
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        guard EVP_DigestFinal_ex(context, &digest, &length) == 1, length == 32 else {
            throw .openSSL("EVP_DigestFinal_ex")
        }
        return Self.hex(digest.prefix(Int(length)))
    }

    private static func hex(_ bytes: ArraySlice<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
