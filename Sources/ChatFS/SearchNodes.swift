import ChatCache
import Foundation

/// `.chatfs/search/<query>`: the query as typed (the directory's name) and its id in
/// `SearchRegistry`. Lists the newest `maximumResults` matches, oldest first.
struct SearchQueryDirectory: Sendable {
    let id: Int
    let text: String

    /// More matches are one `chatfs search --limit 0` away (README "Search").
    static let maximumResults = 1000

    var query: SearchQuery { SearchQuery(text: text, limit: Self.maximumResults) }
}

/// A match in a query's directory: a symlink named `<chat directory> – <message file>`
/// to the message file.
struct SearchResultLink: Sendable {
    let queryID: Int
    let messageRowID: Int64
    /// The chat's directory name and the message's file name.
    let chat: String
    let file: String
    let date: Date

    static let separator = " – "
    /// NAME_MAX: a longer chat directory name is cut (at a character boundary) to fit.
    static let maximumNameBytes = 255

    init(queryID: Int, hit: SearchHit) {
        self.init(queryID: queryID, messageRowID: hit.messageRowID, chat: hit.chat, file: hit.file, date: hit.date)
    }

    init(queryID: Int, message: MessageRecord, chat: ChatRecord) {
        self.init(queryID: queryID, messageRowID: message.rowID, chat: chat.dirName, file: message.fileName,
                  date: message.createdAt)
    }

    private init(queryID: Int, messageRowID: Int64, chat: String, file: String, date: Date) {
        self.queryID = queryID
        self.messageRowID = messageRowID
        self.chat = chat
        self.file = file
        self.date = date
    }

    var name: String {
        let room = Self.maximumNameBytes - Self.separator.utf8.count - file.utf8.count
        var shown = Substring(chat)
        while shown.utf8.count > room { shown.removeLast() }
        return shown + Self.separator + file
    }

    /// From inside `.chatfs/search/<query>/`.
    var target: String { "../../../\(chat)/\(file)" }

    /// The chat directory name (cut when the full name was too long) and the message file
    /// name a result's name is made of.
    static func parts(ofName name: String) -> (chat: String, file: String)? {
        guard let range = name.range(of: separator, options: .backwards) else { return nil }
        return (String(name[..<range.lowerBound]), String(name[range.upperBound...]))
    }
}
