import Foundation

/// Any bytes as the bodies of the chat list, a message page and a queue view page: each
/// decodes or throws, and what decodes can be read (`text` unescapes the content).
enum WireDecodingTarget {
    static let decoder = WireJSON.decoder()

    static func run(_ bytes: [UInt8]) {
        let data = Data(bytes)
        if let chats = try? decoder.decode(ChatPageData.self, from: data) {
            for chat in chats.chatMessages { _ = (chat.id, chat.title, chat.createdAt, chat.lastMessageSequence) }
        }
        if let messages = try? decoder.decode([ChatMessage].self, from: data) {
            for message in messages { _ = message.text }
        }
        if let message = try? decoder.decode(ChatMessage.self, from: data) { _ = message.text }
        if let page = try? decoder.decode(TechnicianViewPage.self, from: data) {
            for item in page.items { _ = (item.id, item.subject) }
        }
    }
}
