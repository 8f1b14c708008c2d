/// Any bytes written to an outbox file: an attachment only when binary, else text that is
/// valid UTF-8, trimmed, non-empty and within the server's limit, or a refusal that says why.
enum OutboxClassifyTarget {
    static func run(_ bytes: [UInt8]) {
        do {
            switch try OutboxPolicy.classify(bytes) {
            case .text(let text):
                precondition(!text.isEmpty && text.unicodeScalars.count <= OutboxPolicy.maxCharacters)
                precondition(text == text.trimmingCharacters(in: .whitespacesAndNewlines))
                precondition(OutboxPolicy.binaryMimeType(bytes) == nil)
            case .attachment(let kind, let mimeType):
                precondition(OutboxPolicy.binaryMimeType(bytes) == mimeType)
                precondition((kind == .screenshot) == (mimeType == "image/jpeg"))
            }
        } catch .notUTF8 {
            precondition(String(validating: bytes, as: UTF8.self) == nil)
        } catch {
            precondition(!error.description.isEmpty && error.errno > 0)
        }
    }
}
