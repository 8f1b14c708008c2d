import ChatCache
import ChatSync
import Foundation

/// `chatfs prefetch`'s progress on stderr: a bar redrawn in place on a terminal, plain
/// lines (one per chat done) otherwise.
struct ProgressBar {
    let isTerminal = isatty(STDERR_FILENO) == 1
    let started = Date()
    private var lastChatsDone = -1
    private var lastDraw = Date.distantPast

    mutating func show(_ progress: PrefetchProgress) {
        if isTerminal {
            // At most ten redraws a second: a fast local server stores pages quicker than that.
            guard Date().timeIntervalSince(lastDraw) >= 0.1 || progress.chatsDone != lastChatsDone else { return }
            lastDraw = Date()
            lastChatsDone = progress.chatsDone
            write("\r\u{1B}[K" + line(progress))
        } else if progress.chatsDone != lastChatsDone {
            lastChatsDone = progress.chatsDone
            write(line(progress) + "\n")
        }
    }

    /// Ends the bar's line so what follows starts on a new one.
    func finish() {
        if isTerminal { write("\n") }
    }

    func line(_ progress: PrefetchProgress) -> String {
        let elapsed = max(Date().timeIntervalSince(started), 0.001)
        let fraction = progress.expectedMessages > 0
            ? min(1, Double(progress.messages) / Double(progress.expectedMessages))
            : Double(progress.chatsDone) / Double(max(progress.chatsTotal, 1))
        let width = 24
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        let rate = Double(progress.bytes) / elapsed
        let eta = fraction > 0.01 ? Self.duration(elapsed / fraction - elapsed) : "--:--"
        var text = "[\(bar)] \(progress.chatsDone)/\(progress.chatsTotal) chats  \(progress.messages) messages"
        if progress.mediaFiles > 0 { text += "  \(progress.mediaFiles) attachments" }
        text += "  \(ByteSize.format(progress.bytes))  \(ByteSize.format(Int64(rate)))/s  ETA \(eta)"
        if !isTerminal, let chat = progress.currentChat { text += "  (\(chat))" }
        return text
    }

    static func duration(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        return total >= 3600 ? String(format: "%d:%02d:%02d", total / 3600, total / 60 % 60, total % 60)
            : String(format: "%d:%02d", total / 60, total % 60)
    }

    private func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
