import ChatCache
@testable import ChatFS
import CFuse
import Foundation
import Testing

/// `media/` through the handlers, over a real cache: listing and stat from the metadata,
/// open and read of a cached blob, refusals, and the attachment attributes.
@Suite struct MediaHandlerTests {
    static let uploaded = Date(timeIntervalSince1970: 1_770_100_000)

    /// A tree whose chat has a completed file (`report.pdf`, 5 bytes announced), a pending
    /// screenshot and a corrupted file; returns the listed record.
    func treeWithMedia() throws -> (TestTree, MediaRecord) {
        let tree = try TestTree(messageCount: 1)
        func item(_ kind: AttachmentKind, _ id: Int, _ name: String, status: String = "completed", corrupted: Bool = false) -> IncomingMedia {
            IncomingMedia(kind: kind, serverID: id, originalName: name, size: 5, mimeType: "application/pdf",
                          createdAt: Self.uploaded, uploadStatus: status, corrupted: corrupted)
        }
        _ = try tree.cache.applyMediaList(chatID: tree.chat.id, [
            item(.file, 11, "report.pdf"), item(.screenshot, 12, "pending.jpg", status: "pending"),
            item(.file, 13, "broken.bin", corrupted: true),
        ])
        let listed = try tree.cache.media(chatID: tree.chat.id)
        #expect(listed.count == 1)
        return (tree, try #require(listed.first))
    }

    /// Puts `bytes` in the cache as the attachment's verified blob; returns the blob's path.
    func cacheBlob(_ bytes: [UInt8], of media: MediaRecord, in tree: TestTree) throws -> String {
        let temporary = try tree.cache.temporaryBlobPath(mediaRowID: media.rowID)
        #expect(FileManager.default.createFile(atPath: temporary, contents: Data(bytes)))
        return try tree.cache.storeBlob(mediaRowID: media.rowID, from: temporary, bytes: bytes.count, sha256: "ab12", verified: true)
    }

    /// The errno a handler answers with, thrown or returned (nil: it succeeded).
    func errorCode(_ handler: () throws -> FuseReply) -> Int32? {
        do {
            let code = Reply(try handler()).errorCode
            return code == 0 ? nil : code
        } catch let error as FuseError {
            return error.code
        } catch {
            return -1
        }
    }

    func mediaDirectoryInode(_ tree: TestTree) -> UInt64 {
        InodeNumber.mediaDirectory(chatRowID: tree.chat.rowID).rawValue!
    }

    func inode(_ media: MediaRecord) -> UInt64 {
        InodeNumber.mediaFile(mediaRowID: media.rowID).rawValue!
    }

    @Test func theListingShowsCompletedAttachmentsWithTheirMetadataAndDownloadsNothing() throws {
        let (tree, media) = try treeWithMedia()
        let reply = try tree.filesystem.readdir(placeholderRequest, mediaDirectoryInode(tree), size: 4096, offset: 0,
                                                fuse_file_info(), withAttributes: true)
        let names = decodeDirectoryBuffer(try #require(Reply(reply).bytes), withAttributes: true).map(\.name)
        #expect(names == [".", "..", media.name])
        #expect(media.name.hasSuffix("report.pdf"))

        let entry = try #require(Reply(try tree.filesystem.lookup(parent: mediaDirectoryInode(tree), name: media.name)).entry)
        #expect(entry.ino == inode(media))
        #expect(entry.attr.st_size == 5)
        #expect(entry.attr.st_mtim.tv_sec == Int(Self.uploaded.timeIntervalSince1970))
        // Owner-writable only so that `setfattr -n user.chatfs.pinned` passes the kernel's check.
        #expect(entry.attr.st_mode == S_IFREG | 0o644)
        #expect(try tree.cache.cachedBlobPath(mediaRowID: media.rowID) == nil)

        for absent in try tree.cache.media(chatID: tree.chat.id).map(\.name) + ["pending.jpg", "broken.bin"] where absent != media.name {
            #expect(Reply(try tree.filesystem.lookup(parent: mediaDirectoryInode(tree), name: absent)).entry?.ino == 0)
        }
    }

    @Test func aCachedAttachmentReadsItsBytesEvenAfterItsBlobIsUnlinked() throws {
        let (tree, media) = try treeWithMedia()
        let content = Array("%PDF!".utf8)
        let blob = try cacheBlob(content, of: media, in: tree)
        let opened = try #require(Reply(try tree.filesystem.open(inode(media), fuse_file_info())).openInfo)
        #expect(opened.fh != 0 && opened.keep_cache == 1)
        // `chatfs cache clear` in another process removes the file; the open descriptor stays good.
        #expect(unlink(blob) == 0)
        #expect(Reply(try tree.filesystem.read(placeholderRequest, inode(media), size: 4096, offset: 0, opened)).bytes == content)
        #expect(Reply(try tree.filesystem.read(placeholderRequest, inode(media), size: 2, offset: 3, opened)).bytes == Array("F!".utf8))
        #expect(Reply(try tree.filesystem.read(placeholderRequest, inode(media), size: 10, offset: 5, opened)).bytes == [])
        #expect(Reply(tree.filesystem.release(inode(media), opened)).errorCode == 0)
        #expect(tree.filesystem.handles.contents(of: opened.fh) == nil)
    }

    @Test func openingForWritingIsReadOnlyFileSystem() throws {
        let (tree, media) = try treeWithMedia()
        _ = try cacheBlob(Array("%PDF!".utf8), of: media, in: tree)
        for flags in [O_WRONLY, O_RDWR, O_RDONLY | O_TRUNC] {
            var info = fuse_file_info()
            info.flags = flags
            #expect(errorCode { try tree.filesystem.open(inode(media), info) } == EROFS, "flags \(flags)")
        }
    }

    @Test func anAttachmentThatCannotBeDownloadedFailsWithEIO() throws {
        let (tree, media) = try treeWithMedia()
        #expect(errorCode { try tree.filesystem.open(inode(media), fuse_file_info()) } == EIO)
    }

    @Test func attachmentAttributesShowTheMetadataAndPinningIsStored() throws {
        let (tree, media) = try treeWithMedia()
        func value(_ name: String) throws -> String? {
            guard case .bytes(let bytes) = Reply(try tree.filesystem.getxattr(inode(media), name: name, size: 4096)) else { return nil }
            return String(decoding: bytes, as: UTF8.self)
        }
        func names() throws -> [String] {
            guard case .bytes(let bytes) = Reply(try tree.filesystem.listxattr(inode(media), size: 4096)) else { return [] }
            return bytes.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
        }
        #expect(try names() == ["user.chatfs.chat_id", "user.chatfs.media_id", "user.chatfs.kind", "user.chatfs.pinned",
                                "user.chatfs.cached", "user.chatfs.upload_state", "user.chatfs.verified"])
        #expect(try value("user.chatfs.chat_id") == tree.chat.id)
        #expect(try value("user.chatfs.media_id") == "11")
        #expect(try value("user.chatfs.kind") == "file")
        #expect(try value("user.chatfs.pinned") == "0")
        #expect(try value("user.chatfs.cached") == "0")
        #expect(try value("user.chatfs.upload_state") == "completed")
        #expect(try value("user.chatfs.verified") == "0")

        #expect(Reply(try tree.filesystem.setxattr(inode(media), name: "user.chatfs.pinned", value: Array("1".utf8))).errorCode == 0)
        #expect(try tree.cache.media(rowID: media.rowID)?.pinned == true)
        #expect(try value("user.chatfs.pinned") == "1")
        #expect(errorCode { try tree.filesystem.setxattr(inode(media), name: "user.chatfs.pinned", value: Array("yes".utf8)) } == EINVAL)
        #expect(try value("user.chatfs.pinned") == "1")
        #expect(errorCode { try tree.filesystem.setxattr(inode(media), name: "user.chatfs.kind", value: Array("file".utf8)) } == EOPNOTSUPP)
        #expect(Reply(try tree.filesystem.setxattr(inode(media), name: "user.chatfs.pinned", value: Array("0".utf8))).errorCode == 0)
        #expect(try tree.cache.media(rowID: media.rowID)?.pinned == false)

        _ = try cacheBlob(Array("%PDF!".utf8), of: media, in: tree)
        #expect(try value("user.chatfs.cached") == "1")
        #expect(try value("user.chatfs.sha256") == "ab12")
        #expect(try value("user.chatfs.verified") == "1")
        #expect(try names().suffix(3) == ["user.chatfs.sha256", "user.chatfs.upload_state", "user.chatfs.verified"])
    }

    @Test func onlyOneAndZeroArePinValues() {
        #expect(ExtendedAttributes.pinnedValue(Array("1".utf8)) == true)
        #expect(ExtendedAttributes.pinnedValue(Array("0".utf8)) == false)
        for other in ["", "2", "true", "1\n", "01"] {
            #expect(ExtendedAttributes.pinnedValue(Array(other.utf8)) == nil, "\(other)")
        }
    }
}
