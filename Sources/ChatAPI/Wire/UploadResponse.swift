/// The answer to `POST /chat-files/upload` (201): the stored file, plus an
/// `uploadStatus` and `message` the client does not need.
struct ChatFileUploadResponse: Decodable {
    var file: ChatFile
}

/// The answer to `POST /screenshots/upload` (201). The screenshot's `filename` is the
/// server's new name for it (`<8hex>_<stem>_<8hex>.jpg`).
struct ScreenshotUploadResponse: Decodable {
    var screenshot: Screenshot
}
