/// What the backend accepts and stores as message content.
enum MessageContentRules {
    static let maximumContentLength = 10_000
    static let maximumClientTempIDLength = 100
    /// Characters of content shown in the chat list preview.
    static let previewLength = 100

    /// Python's `str.strip()`: surrounding white space removed.
    static func stripped(_ content: String) -> String {
        var scalars = Substring(content).unicodeScalars[...]
        while let first = scalars.first, first.properties.isWhitespace { scalars = scalars.dropFirst() }
        while let last = scalars.last, last.properties.isWhitespace { scalars = scalars.dropLast() }
        return String(String.UnicodeScalarView(scalars))
    }

    /// Length as Python counts it (code points).
    static func length(_ text: String) -> Int {
        text.unicodeScalars.count
    }

    /// Checks stripped content; returns it, or the validation issue.
    static func validatedContent(_ content: String) -> Result<String, ValidationIssue> {
        let text = stripped(content)
        let location = ["body", "content"]
        if text.isEmpty {
            return .failure(.stringTooShort(location: location, input: content, minimum: 1))
        }
        if length(text) > maximumContentLength {
            return .failure(.stringTooLong(location: location, input: content, maximum: maximumContentLength))
        }
        return .success(text)
    }

    /// The chat list's `lastMessage`: `"You: "` for the viewer's own message, otherwise the
    /// sender's full name (or username, or `Unknown`) and `": "`, then the first 100
    /// characters of the stored content.
    static func preview(
        content: String, senderID: String?, senderFullName: String?, senderUsername: String?, viewerID: String
    ) -> String {
        let author: String
        if let senderID, senderID == viewerID {
            author = "You"
        } else if let senderFullName, !senderFullName.isEmpty {
            author = senderFullName
        } else if let senderUsername, !senderUsername.isEmpty {
            author = senderUsername
        } else {
            author = "Unknown"
        }
        return author + ": " + excerpt(content)
    }

    /// The first 100 characters (code points) of stored content.
    static func excerpt(_ content: String) -> String {
        String(String.UnicodeScalarView(content.unicodeScalars.prefix(previewLength)))
    }
}
