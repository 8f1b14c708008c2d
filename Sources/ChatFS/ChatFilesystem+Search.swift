import ChatCache
import CFuse
import Foundation

/// `.chatfs/search/<query>/`: any name looked up in `.chatfs/search` is a query (the same
/// language as `chatfs search`), and its directory lists the matches, from the cache alone,
/// as symlinks to the message files. Computed at each opendir; never cached by the kernel.
extension ChatFilesystem {
    /// The directory of the query `name`; EINVAL (logged once per query) when it does not parse.
    func searchQueryDirectory(named name: String) throws -> SearchQueryDirectory {
        let query = SearchQuery(text: name)
        do {
            // Matching against no row parses the expression and reads nothing.
            _ = try cache.message(rowID: 0, matches: query)
        } catch let error as SearchError {
            if searches.isFirstReportOfInvalid(name) { logger.warning("search directory \"\(name)\": \(error)") }
            throw FuseError(EINVAL)
        }
        return SearchQueryDirectory(id: searches.register(name), text: name)
    }

    /// The snapshot a query directory's listing pages through.
    func searchListing(_ directory: SearchQueryDirectory) throws -> [SearchResultLink] {
        do {
            return try cache.search(directory.query).map { SearchResultLink(queryID: directory.id, hit: $0) }
        } catch is SearchError {
            throw FuseError(EINVAL)
        }
    }

    /// The match called `name`: read from the name (its chat and message file) when the chat
    /// name was not cut, else found among the listing's matches.
    func searchResult(named name: String, in directory: SearchQueryDirectory) throws -> SearchResultLink? {
        guard let parts = SearchResultLink.parts(ofName: name) else { return nil }
        if let chat = try cache.chat(dirName: parts.chat), let sequence = MessageFormat.sequence(inFileName: parts.file) {
            guard let message = try cache.message(chatRowID: chat.rowID, sequence: sequence), message.fileName == parts.file,
                  try cache.message(rowID: message.rowID, matches: directory.query) else { return nil }
            return SearchResultLink(queryID: directory.id, message: message, chat: chat)
        }
        return try searchListing(directory).first { $0.name == name }
    }
}
