import CFuse
import Foundation

/// The low-level ops table: one short closure per operation, each handing its arguments to
/// a `ChatFilesystem` method through `ChatFilesystem.serve`, which sends the one reply.
///
/// Built here, in a nonisolated library function, on purpose: closures written in
/// `main.swift` top-level code are main-actor isolated, and the first callback on a libfuse
/// worker thread would die with SIGILL.
enum FuseOperations {
    static func table() -> fuse_lowlevel_ops {
        var ops = fuse_lowlevel_ops()

        ops.`init` = { userdata, connection in
            guard let userdata, let connection else { return }
            Unmanaged<ChatFilesystem>.fromOpaque(userdata).takeUnretainedValue().initialize(&connection.pointee)
        }

        // Entries.
        ops.lookup = { request, parent, name in
            ChatFilesystem.serve(request) { try $0.lookup(parent: parent, name: String(cString: name!)) }
        }
        ops.getattr = { request, inode, _ in
            ChatFilesystem.serve(request) { try $0.getattr(inode) }
        }
        // Inode numbers are derived from row ids: there is no table to free.
        ops.forget = { request, _, _ in fuse_reply_none(request) }
        ops.forget_multi = { request, _, _ in fuse_reply_none(request) }

        // Directories.
        ops.opendir = { request, inode, info in
            ChatFilesystem.serve(request) { try $0.opendir(inode, info!.pointee) }
        }
        ops.readdir = { request, inode, size, offset, info in
            ChatFilesystem.serve(request) { try $0.readdir(request!, inode, size: size, offset: Int64(offset), info!.pointee, withAttributes: false) }
        }
        ops.readdirplus = { request, inode, size, offset, info in
            ChatFilesystem.serve(request) { try $0.readdir(request!, inode, size: size, offset: Int64(offset), info!.pointee, withAttributes: true) }
        }
        ops.releasedir = { request, _, info in
            ChatFilesystem.serve(request) { $0.releasedir(info!.pointee) }
        }

        // Files.
        ops.open = { request, inode, info in
            ChatFilesystem.serve(request) { try $0.open(inode, info!.pointee) }
        }
        ops.read = { request, inode, size, offset, info in
            ChatFilesystem.serve(request) { try $0.read(inode, size: size, offset: Int64(offset), info!.pointee) }
        }
        ops.release = { request, _, info in
            ChatFilesystem.serve(request) { $0.release(info!.pointee) }
        }

        // Extended attributes and the volume.
        ops.getxattr = { request, inode, name, size in
            ChatFilesystem.serve(request) { try $0.getxattr(inode, name: String(cString: name!), size: size) }
        }
        ops.listxattr = { request, inode, size in
            ChatFilesystem.serve(request) { try $0.listxattr(inode, size: size) }
        }
        ops.statfs = { request, _ in
            ChatFilesystem.serve(request) { try $0.statfs() }
        }

        // Everything that would change the tree: read-only until later issues open the
        // outbox. EROFS, never a silent success.
        ops.setattr = { request, _, _, _, _ in fuse_reply_err(request, EROFS) }
        ops.mknod = { request, _, _, _, _ in fuse_reply_err(request, EROFS) }
        ops.mkdir = { request, _, _, _ in fuse_reply_err(request, EROFS) }
        ops.unlink = { request, _, _ in fuse_reply_err(request, EROFS) }
        ops.rmdir = { request, _, _ in fuse_reply_err(request, EROFS) }
        ops.symlink = { request, _, _, _ in fuse_reply_err(request, EROFS) }
        ops.rename = { request, _, _, _, _, _ in fuse_reply_err(request, EROFS) }
        ops.link = { request, _, _, _ in fuse_reply_err(request, EROFS) }
        ops.write = { request, _, _, _, _, _ in fuse_reply_err(request, EROFS) }
        ops.create = { request, _, _, _, _ in fuse_reply_err(request, EROFS) }
        ops.setxattr = { request, _, _, _, _, _ in fuse_reply_err(request, EROFS) }
        ops.removexattr = { request, _, _ in fuse_reply_err(request, EROFS) }

        return ops
    }
}
