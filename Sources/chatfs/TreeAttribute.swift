import ArgumentParser
import CFuse
import Foundation

/// Commands that act on a mounted tree do it the way a script could: by setting one of
/// chatfs's extended attributes (`setfattr -n NAME -v VALUE PATH`).
enum TreeAttribute {
    static func set(_ name: String, to value: String, on paths: [String], doing action: String, expecting kind: String) throws {
        for path in paths {
            guard setxattr(path, name, value, value.utf8.count, 0) == 0 else {
                let reason = errno == ENOTSUP || errno == ENODATA
                    ? "not \(kind) in a chatfs mount" : String(cString: strerror(errno))
                throw ValidationError("cannot \(action) \(path): \(reason)")
            }
        }
    }
}
