/// A message to send (`POST /chat/messages`).
public struct OutgoingMessage: Sendable, Equatable {
    public var chatID: String
    /// 1...10,000 characters; the server strips surrounding white space and sanitizes it.
    public var content: String
    /// At most 100 characters; lets the sender recognize this message later.
    public var clientTempID: String?
    public var isScreenshot: Bool?
    public var screenshotFileName: String?
    public var fileName: String?
    public var fileSize: Int?
    public var fileMimeType: String?

    public init(chatID: String, content: String, clientTempID: String? = nil,
                isScreenshot: Bool? = nil, screenshotFileName: String? = nil,
                fileName: String? = nil, fileSize: Int? = nil, fileMimeType: String? = nil) {
        self.chatID = chatID
        self.content = content
        self.clientTempID = clientTempID
        self.isScreenshot = isScreenshot
        self.screenshotFileName = screenshotFileName
        self.fileName = fileName
        self.fileSize = fileSize
        self.fileMimeType = fileMimeType
    }
}

extension OutgoingMessage: Encodable {
    /// The wire names (camelCase); nil fields are left out.
    private enum CodingKeys: String, CodingKey {
        case chatID = "requestId"
        case content
        case clientTempID = "clientTempId"
        case isScreenshot, screenshotFileName, fileName, fileSize, fileMimeType
    }
}
