import ChatCache
import CFuse
import Foundation

/// `media/`: a chat's attachments, listed from the cache (listing and `stat` never download),
/// downloaded on first open (`SyncEngine.openMedia` waits for the verified blob) and read
/// from a descriptor held by the handle.
extension ChatFilesystem {
    /// How long an open waits for a download before failing with EIO (the download goes on).
    static let mediaOpenTimeout: Duration = .seconds(120)

    /// Attachments keyed by row id, like outbox files: a chat has at most a few hundred,
    /// read at once; new ones get higher row ids, so a listing resumed after one lists them.
    func addMediaFiles(of chat: ChatRecord, to buffer: inout DirectoryBuffer, afterRowID: Int,
                       cookie: DirectoryCookie) throws {
        let listing = try cache.media(chatID: chat.id).filter { $0.rowID > afterRowID }.sorted { $0.rowID < $1.rowID }
        for media in listing {
            guard let offset = cookie.offset(afterKey: Int(media.rowID)),
                  let entry = try listedEntry(for: .mediaFile(media, chat: chat), withAttributes: buffer.withAttributes)
            else { continue }
            guard buffer.add(name: media.name, entry: entry, nextOffset: offset) else { return }
        }
    }

    /// Waits for the blob, opens it and returns the handle. Every failure to get the bytes is
    /// EIO, with the reason in the log (and, from the engine, in `.chatfs/status`).
    func openMediaFile(_ number: InodeNumber?) throws -> UInt64 {
        guard case .mediaFile(let media, let chat) = try node(number) else { throw FuseError(ENOENT) }
        sync.noteAccess(chatRowID: chat.rowID)
        let path: String
        do {
            path = try sync.openMedia(rowID: media.rowID, timeout: Self.mediaOpenTimeout)
        } catch {
            logger.warning("open answered EIO: \(error)")
            throw FuseError(EIO)
        }
        let descriptor = Foundation.open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            let reason = String(cString: strerror(errno))
            sync.mediaClosed(rowID: media.rowID)
            logger.warning("cannot open the cached blob of \(media.name): \(reason)")
            throw FuseError(EIO)
        }
        return handles.open(.media(OpenMedia(descriptor: descriptor, mediaRowID: media.rowID)))
    }

    func readMediaFile(handle: UInt64, size: Int, offset: Int64) throws -> FuseReply {
        guard case .media(let media) = handles.contents(of: handle) else { throw FuseError(EBADF) }
        return .bytes(try media.read(size: size, offset: offset))
    }

    /// The last close of a handle: the blob may be evicted again once no handle holds it.
    func releaseMediaFile(handle: UInt64) {
        guard case .media(let media) = handles.contents(of: handle) else { return }
        handles.close(handle)
        Foundation.close(media.descriptor)
        sync.mediaClosed(rowID: media.mediaRowID)
    }

    /// `setfattr -n user.chatfs.pinned -v 1|0`: pinned attachments are never evicted.
    func setMediaAttribute(_ media: MediaRecord, name: String, value: [UInt8]) throws -> FuseReply {
        guard name == ExtendedAttributes.pinned else { throw FuseError(EOPNOTSUPP) }
        guard let pinned = ExtendedAttributes.pinnedValue(value) else { throw FuseError(EINVAL) }
        try cache.setPinned(mediaRowID: media.rowID, pinned)
        return .error(0)
    }
}
