import Foundation
import Hummingbird

/// Chat files and screenshots: per-chat lists, metadata with `fileHash`, downloads.
///
/// Like the deployed backend, media endpoints check authentication but not per-chat access
/// (docs/api.md: clients must not rely on the server to hide other users' files).
enum MediaRoutes {
    static func register(on api: RouterGroup<ServerRequestContext>, services: ServerServices) {
        for kind in [MediaKind.chatFile, .screenshot] {
            let base = kind == .chatFile ? "chat-files" : "screenshots"

            api.get("\(base)/request/{request_id}") { request, context -> Response in
                _ = try await services.authenticator.user(for: request)
                let chatID = try context.uuidParameter("request_id")
                let items = try await services.store.mediaList(kind, requestID: chatID)
                return try JSONResponse.make(JSONValue.array(items.map { MediaJSON.render($0, includeHash: false) }))
            }

            api.get("\(base)/{id}") { request, context -> Response in
                _ = try await services.authenticator.user(for: request)
                let media = try await existingMedia(kind, id: try context.integerParameter("id"), services: services)
                return try JSONResponse.make(MediaJSON.render(media, includeHash: true))
            }

            api.get("\(base)/{id}/download") { request, context -> Response in
                _ = try await services.authenticator.user(for: request)
                let media = try await existingMedia(kind, id: try context.integerParameter("id"), services: services)
                return try await download(media, context: context, services: services)
            }
        }

        api.get("screenshots/by-filename/{filename}") { request, context -> Response in
            _ = try await services.authenticator.user(for: request)
            let raw = context.parameters.get("filename") ?? ""
            let filename = raw.removingPercentEncoding ?? raw
            guard let media = try await services.store.screenshot(filename: filename) else {
                throw APIError.notFound("Screenshot not found")
            }
            return try await download(media, context: context, services: services)
        }
    }

    private static func existingMedia(_ kind: MediaKind, id: Int64, services: ServerServices) async throws -> MediaRecord {
        guard let media = try await services.store.media(kind, id: id) else {
            throw APIError.notFound(kind == .chatFile ? "File not found" : "Screenshot not found")
        }
        return media
    }

    /// 410 corrupted or failed, 202 pending (the deployed backend serves the temporary
    /// copy with 200), otherwise the bytes.
    private static func download(
        _ media: MediaRecord, context: ServerRequestContext, services: ServerServices
    ) async throws -> Response {
        if media.isCorrupted || media.uploadStatus == .failed {
            throw APIError.detail(.gone, "File is corrupted or its upload failed")
        }
        if media.uploadStatus == .pending, services.generation == .delta {
            return try JSONResponse.make(
                JSONValue.object([("detail", .string("File upload is still pending"))]), status: .accepted)
        }
        guard var bytes = try await services.store.mediaBytes(media.kind, id: media.id) else {
            throw APIError.notFound("File not found")
        }
        if context.corruptsDownloads, !bytes.isEmpty {
            bytes[bytes.count / 2] ^= 0xFF
        }
        var headers: HTTPFields = [
            .contentType: media.mimeType,
            .contentDisposition: ContentDisposition.attachment(filename: media.originalFilename),
        ]
        headers[.contentLength] = String(bytes.count)
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
