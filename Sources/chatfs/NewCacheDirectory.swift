import Foundation

/// A cache directory a mount is about to create: removed again when the mount fails
/// before it is live, so a failed first mount leaves no empty cache behind for
/// `chatfs status` to find. A directory that existed is never touched.
struct NewCacheDirectory {
    let directory: URL
    let isNew: Bool

    init(_ directory: URL) {
        self.directory = directory
        isNew = !FileManager.default.fileExists(atPath: directory.path)
    }

    func removedOnFailure<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch {
            if isNew { try? FileManager.default.removeItem(at: directory) }
            throw error
        }
    }
}
