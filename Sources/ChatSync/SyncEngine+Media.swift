import ChatCache
import Foundation

/// Attachments for the tree (see `MediaFetcher`).
extension SyncEngine {
    /// Blocks until the attachment's bytes are in the cache (downloading them once however
    /// many callers wait), verified, and returns the blob file's path; counts a hit or a
    /// miss. Throws a `MediaError` (CustomStringConvertible) on 404/410/timeout/hash mismatch.
    /// On success the attachment counts as open until `mediaClosed`: it is never evicted
    /// meanwhile. Open the returned path before `mediaClosed` (and keep that descriptor):
    /// `chatfs cache clear` in another process may unlink the blob, never its open inode.
    public func openMedia(rowID: Int64, timeout: Duration) throws -> String {
        try mediaFetcher.open(rowID: rowID, timeout: timeout)
    }

    /// While a media file is open it is never evicted.
    public func mediaClosed(rowID: Int64) {
        mediaFetcher.close(rowID: rowID)
        tracker.mediaAccessed(rowID)
    }
}
