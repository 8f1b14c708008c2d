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
        ops.readlink = { request, inode in
            ChatFilesystem.serve(request) { try $0.readlink(inode) }
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
            ChatFilesystem.serve(request) { try $0.read(request!, inode, size: size, offset: Int64(offset), info!.pointee) }
        }
        ops.write = { request, inode, buffer, size, offset, info in
            let bytes = Array(UnsafeRawBufferPointer(start: buffer, count: buffer == nil ? 0 : size))
            ChatFilesystem.serve(request) { try $0.write(inode, bytes: bytes, offset: Int64(offset), info!.pointee) }
        }
        ops.flush = { request, inode, info in
            ChatFilesystem.serve(request) { try $0.flush(inode, info!.pointee) }
        }
        ops.fsync = { request, inode, _, info in
            ChatFilesystem.serve(request) { try $0.fsync(inode, info!.pointee) }
        }
        ops.release = { request, inode, info in
            ChatFilesystem.serve(request) { $0.release(inode, info!.pointee) }
        }
        ops.poll = { request, inode, info, pollHandle in
            ChatFilesystem.serve(request) { $0.poll(inode, info!.pointee, keeping: pollHandle) }
        }

        // Changes: only outboxes take them (ChatFilesystem+Outbox, +Rename); elsewhere EROFS.
        ops.create = { request, parent, name, mode, info in
            ChatFilesystem.serve(request) {
                try $0.create(parent: parent, name: String(cString: name!), mode: mode, info!.pointee)
            }
        }
        ops.setattr = { request, inode, attributes, toSet, info in
            ChatFilesystem.serve(request) { try $0.setattr(inode, attributes!.pointee, toSet: toSet, handle: info?.pointee.fh) }
        }
        ops.unlink = { request, parent, name in
            ChatFilesystem.serve(request) { try $0.unlink(parent: parent, name: String(cString: name!)) }
        }
        ops.rename = { request, parent, name, newParent, newName, flags in
            ChatFilesystem.serve(request) {
                try $0.rename(parent: parent, name: String(cString: name!), newParent: newParent,
                              newName: String(cString: newName!), flags: UInt32(flags))
            }
        }
        ops.fsyncdir = { request, inode, _, _ in
            ChatFilesystem.serve(request) { try $0.fsyncdir(inode, isInterrupted: { fuse_req_interrupted(request) != 0 }) }
        }

        // Extended attributes and the volume.
        ops.getxattr = { request, inode, name, size in
            ChatFilesystem.serve(request) { try $0.getxattr(inode, name: String(cString: name!), size: size) }
        }
        ops.listxattr = { request, inode, size in
            ChatFilesystem.serve(request) { try $0.listxattr(inode, size: size) }
        }
        ops.setxattr = { request, inode, name, value, size, _ in
            let bytes = Array(UnsafeRawBufferPointer(start: value, count: value == nil ? 0 : size))
            ChatFilesystem.serve(request) { try $0.setxattr(inode, name: String(cString: name!), value: bytes) }
        }
        ops.removexattr = { request, inode, name in
            ChatFilesystem.serve(request) { try $0.removexattr(inode, name: String(cString: name!)) }
        }
        ops.statfs = { request, _ in
            ChatFilesystem.serve(request) { try $0.statfs() }
        }

        // Never accepted anywhere: EROFS, never a silent success.
        ops.mknod = { request, _, _, _, _ in fuse_reply_err(request, EROFS) }
        ops.mkdir = { request, _, _, _ in fuse_reply_err(request, EROFS) }
        ops.rmdir = { request, _, _ in fuse_reply_err(request, EROFS) }
        ops.symlink = { request, _, _, _ in fuse_reply_err(request, EROFS) }
        ops.link = { request, _, _, _ in fuse_reply_err(request, EROFS) }

        return ops
    }
}
