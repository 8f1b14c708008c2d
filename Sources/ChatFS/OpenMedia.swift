import Foundation

/// An open attachment: a descriptor on its cached blob, taken at open. Reads go to that
/// descriptor, never to the blob's path: `chatfs cache clear` in another process may unlink
/// the blob while it is open, and the open inode keeps its bytes until the descriptor closes.
struct OpenMedia: Sendable {
    let descriptor: Int32
    let mediaRowID: Int64

    /// Up to `size` bytes from `offset`; fewer only at the end of the file (the kernel takes
    /// a short read as the end, so a partial `pread` is continued, not returned).
    func read(size: Int, offset: Int64) throws -> [UInt8] {
        guard size > 0, offset >= 0 else { return [] }
        var bytes = [UInt8](repeating: 0, count: size)
        var filled = 0
        while filled < size {
            let count = bytes.withUnsafeMutableBytes { buffer in
                pread(descriptor, buffer.baseAddress! + filled, size - filled, off_t(offset) + off_t(filled))
            }
            if count == 0 { break }
            if count < 0 {
                if errno == EINTR { continue }
                throw FuseError(EIO)
            }
            filled += count
        }
        bytes.removeSubrange(filled...)
        return bytes
    }
}
