import CFuse
import Foundation

/// Commands that act on a mounted tree do it the way a script could: by setting one of
/// chatfs's extended attributes (`setfattr -n NAME -v VALUE PATH`), but only inside a
/// chatfs mount.
enum TreeAttribute {
    static func set(_ name: String, to value: String, on paths: [String], doing action: String, expecting kind: String) throws {
        for path in paths {
            _ = try MountedTree.root(containing: path)
            guard setxattr(path, name, value, value.utf8.count, 0) == 0 else {
                let error = errno
                let wrongKind = error == ENOTSUP || error == ENODATA
                throw CommandFailure(wrongKind || error == ENOENT ? .noInput : .failure,
                                     "cannot \(action) \(path): \(wrongKind ? "not \(kind) in a chatfs mount" : String(cString: strerror(error)))")
            }
        }
    }
}
