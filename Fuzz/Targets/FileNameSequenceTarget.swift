/// Any text as a file name looked up in a chat: nil, or the sequence its leading digits
/// spell (6 to 18 of them), whose own file name parses back to it.
enum FileNameSequenceTarget {
    static func run(_ bytes: [UInt8]) {
        let name = String(decoding: bytes, as: UTF8.self)
        guard let sequence = MessageFormat.sequence(inFileName: name) else { return }
        let digits = name.utf8.prefix { $0 >= 0x30 && $0 <= 0x39 }
        precondition(sequence >= 0 && (6...18).contains(digits.count), "\(sequence) from \(digits.count) digits")
        let canonical = MessageFormat.fileName(sequence: sequence, sender: "x")
        precondition(MessageFormat.sequence(inFileName: canonical) == sequence, "\(canonical) does not parse back")
    }
}
