import Foundation

/// Any message fields (split from the input at NUL bytes): the header block keeps its
/// lines (a field cannot forge a header), the size counted equals the bytes rendered, and
/// the file name parses back to its sequence.
enum MessageRenderTarget {
    static func run(_ bytes: [UInt8]) {
        guard bytes.count >= 8 else { return }
        let raw = bytes.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        let sequence = Int(raw % 1_000_000_000_000)
        // Every second of years 0–9999, as WireDate can give.
        let seconds = Int64(raw % 316_569_520_000) - 62_167_219_200
        let fields = bytes.dropFirst(8).split(separator: 0, omittingEmptySubsequences: false)
            .map { String(decoding: $0, as: UTF8.self) }
        func field(_ index: Int) -> String? { index < fields.count ? fields[index] : nil }
        let sender = MessageFormat.senderName(username: field(0))
        let body = field(3) ?? ""
        let arguments = (sequence: sequence, id: field(1) ?? "", sender: sender, senderFullName: field(2),
                         createdAt: Date(timeIntervalSince1970: Double(seconds)), body: body)
        let rendered = MessageFormat.render(
            sequence: arguments.sequence, id: arguments.id, sender: arguments.sender, senderFullName: arguments.senderFullName,
            createdAt: arguments.createdAt, body: arguments.body)
        let size = MessageFormat.renderedSize(
            sequence: arguments.sequence, id: arguments.id, sender: arguments.sender, senderFullName: arguments.senderFullName,
            createdAt: arguments.createdAt, body: arguments.body)
        precondition(size == rendered.count, "size \(size) but \(rendered.count) bytes")
        let headerLines = rendered.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).prefix { !$0.isEmpty }
        precondition(headerLines.count == 4, "\(headerLines.count) header lines")
        let name = MessageFormat.fileName(sequence: sequence, sender: sender)
        precondition(MessageFormat.sequence(inFileName: name) == sequence, "\(name) does not parse back")
    }
}
