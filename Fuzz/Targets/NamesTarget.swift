import Foundation

/// Any text as a chat title and as an attachment's original name: the name is never
/// empty, `.` or `..`, at most 255 bytes, has no `/` and nothing a terminal trips on, and
/// stays unique when taken.
enum NamesTarget {
    static let day = Date(timeIntervalSince1970: 1_770_711_342)

    static func run(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        let title = DirectoryNames.safeName(forTitle: text)
        check(title)
        precondition(title == title.trimmingCharacters(in: .whitespaces), "untrimmed: \(title.debugDescription)")
        let suffixed = DirectoryNames.uniqueName(forTitle: text, chatID: text) { $0 == title }
        check(suffixed)
        precondition(suffixed != title, "a taken name came back")
        // Nothing taken: the base name, checked with the other.
        let media = MediaNames.uniqueName(originalName: text, createdAt: day, kind: .file, serverID: bytes.count) { _ in false }
        check(media)
        let other = MediaNames.uniqueName(originalName: text, createdAt: day, kind: .file, serverID: bytes.count) { $0 == media }
        check(other)
        precondition(other != media, "a taken media name came back")
    }

    static func check(_ name: String) {
        precondition(!name.isEmpty && name != "." && name != "..", "bad name \(name.debugDescription)")
        precondition(name.utf8.count <= 255, "\(name.utf8.count) bytes")
        precondition(!name.contains("/") && DirectoryNames.isShownAsIs(name), "unsafe: \(name.debugDescription)")
    }
}
