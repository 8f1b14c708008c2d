import Foundation

/// The width to fit tables to: the terminal's when stdout is one, else none (a pipe or a
/// file gets every name whole, for grep).
enum TerminalWidth {
    static func ofStandardOutput() -> Int? {
        guard isatty(STDOUT_FILENO) == 1 else { return nil }
        var size = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return 80 }
        return Int(size.ws_col)
    }
}
