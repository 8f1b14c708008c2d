import CFuse
import Foundation

/// getxattr and listxattr over `ExtendedAttributes`.
extension ChatFilesystem {
    func getxattr(_ inode: fuse_ino_t, name: String, size: Int) throws -> FuseReply {
        guard ExtendedAttributes.isSupported(name) else { throw FuseError(EOPNOTSUPP) }
        let value = try ExtendedAttributes.value(name, of: node(inode), chatOfMessage: { try cache.chat(rowID: $0) })
        guard let value else { throw FuseError(ENODATA) }
        return ExtendedAttributes.reply(with: Array(value.utf8), requestedSize: size)
    }

    func listxattr(_ inode: fuse_ino_t, size: Int) throws -> FuseReply {
        let names = ExtendedAttributes.names(of: try node(inode))
        return ExtendedAttributes.reply(with: ExtendedAttributes.nameList(names), requestedSize: size)
    }
}
