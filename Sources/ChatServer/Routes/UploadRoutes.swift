import Foundation
import Hummingbird

/// `POST /chat-files/upload?request_id=` and `POST /screenshots/upload?request_id=`
/// (multipart field `file`, at most 50 MB).
///
/// The deployed backend re-encodes screenshots to JPEG; this server has no image codec, so
/// it stores JPEG uploads unchanged and refuses other image formats with 400.
enum UploadRoutes {
    static let maximumFileBytes = 50 * 1024 * 1024
    /// Room for the multipart framing around the largest file.
    static let maximumBodyBytes = maximumFileBytes + 64 * 1024

    static func register(on api: RouterGroup<ServerRequestContext>, services: ServerServices) {
        api.post("chat-files/upload") { request, _ -> Response in
            let (chat, file) = try await receive(request, services: services)
            let name = file.filename.flatMap { $0.isEmpty ? nil : String($0.prefix(255)) } ?? "upload"
            let stored = try await services.store.insertMedia(
                ChatStore.NewMedia(
                    kind: .chatFile, requestID: chat.id, originalFilename: name,
                    storedFilename: ChatStore.newID().replacingOccurrences(of: "-", with: "") + "_" + name,
                    mimeType: MediaTypeText.normalized(file.contentType) ?? "application/octet-stream",
                    uploadStatus: services.uploadStatus, bytes: Array(file.body)))
            return try JSONResponse.make(
                JSONValue.object([
                    ("file", MediaJSON.render(stored, includeHash: true)),
                    ("uploadStatus", .string(stored.uploadStatus.rawValue)),
                    ("message", .string("File uploaded successfully")),
                ]),
                status: .created)
        }

        api.post("screenshots/upload") { request, _ -> Response in
            let (chat, file) = try await receive(request, services: services)
            guard file.body.starts(with: [0xFF, 0xD8, 0xFF]) else {
                let isImage = file.contentType?.lowercased().hasPrefix("image/") ?? false
                throw APIError.badRequest(
                    isImage
                        ? "Only JPEG screenshots are accepted (this server cannot re-encode images)"
                        : "File must be an image")
            }
            let stored = try await services.store.insertMedia(
                ChatStore.NewMedia(
                    kind: .screenshot, requestID: chat.id, originalFilename: screenshotName(for: file.filename),
                    mimeType: "image/jpeg", uploadStatus: services.uploadStatus, bytes: Array(file.body)))
            return try JSONResponse.make(
                JSONValue.object([
                    ("screenshot", MediaJSON.render(stored, includeHash: true)),
                    ("uploadStatus", .string(stored.uploadStatus.rawValue)),
                    ("message", .string("Screenshot uploaded successfully")),
                    ("uploadUrl", .string("/api/v1/screenshots/by-filename/\(stored.storedFilename)")),
                    ("uploadMethod", .string("direct")),
                ]),
                status: .created)
        }
    }

    /// Authenticates, validates `request_id`, reads the bounded body and returns the chat
    /// and the `file` part (FastAPI's order: auth, 422, then the handler's 413/404/403).
    private static func receive(
        _ request: Request, services: ServerServices
    ) async throws -> (ChatRecord, MultipartFormData.Part) {
        let user = try await services.authenticator.user(for: request)
        guard let rawID = request.uri.queryParameters["request_id"].map(String.init) else {
            throw APIError.validation([.missing(location: ["query", "request_id"])])
        }
        guard let chatID = UUIDText.normalized(rawID) else {
            throw APIError.validation([.uuidParsing(location: ["query", "request_id"], input: rawID)])
        }
        let tooLarge = "File too large. Maximum size is 50MB"
        let body = try await BodyReader.bytes(of: request, limit: maximumBodyBytes, tooLargeDetail: tooLarge)
        let form: MultipartFormData
        do {
            form = try MultipartFormData(
                contentType: request.headers[.contentType] ?? "", body: Array(body.readableBytesView))
        } catch {
            throw APIError.validation([.invalidBody("Expected a multipart/form-data body")])
        }
        guard let file = form.part(named: "file") else {
            throw APIError.validation([.missing(location: ["body", "file"])])
        }
        guard file.body.count <= maximumFileBytes else { throw APIError.detail(.contentTooLarge, tooLarge) }
        let chat = try await services.accessibleChat(chatID, for: user)
        return (chat, file)
    }

    /// `<8hex>_<stem>_<8hex>.jpg`, the backend's naming of re-encoded screenshots.
    static func screenshotName(for uploadedName: String?) -> String {
        var stem = Substring(uploadedName ?? "screenshot")
        if let dot = stem.lastIndex(of: "."), dot != stem.startIndex { stem = stem[..<dot] }
        let safe = String(stem.unicodeScalars.map { scalar -> Character in
            scalar.properties.isAlphabetic && scalar.isASCII || ("0"..."9").contains(scalar) || scalar == "-"
                ? Character(scalar) : "_"
        }.prefix(50))
        func hex8() -> String {
            let text = String(UInt32.random(in: 0...UInt32.max), radix: 16)
            return String(repeating: "0", count: 8 - text.count) + text
        }
        return "\(hex8())_\(safe.isEmpty ? "screenshot" : safe)_\(hex8()).jpg"
    }
}
