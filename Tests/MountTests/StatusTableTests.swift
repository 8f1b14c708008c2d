import Foundation
import Testing
import TestSupport

/// The status for a person: aligned columns that fit the terminal, long names shortened.
@Suite(.serialized, .enabled(if: MountSupport.available, "needs /dev/fuse, fusermount3 and built binaries"))
struct StatusTableTests {
    func columns(_ line: Substring) -> Int {
        line.unicodeScalars.reduce(0) { $0 + (($1.value >= 0xFF00 && $1.value <= 0xFF60) ? 2 : 1) }
    }

    @Test func theChatTableFitsTheTerminalAndTheStatusFileFitsAHundredColumns() throws {
        try withDemoMount { server, mount in
            let long = String(repeating: "A long chat title ", count: 8)
            _ = try server.createChat(title: long)
            #expect(try eventually { try run(["ls", mount.mountPoint]).stdout.contains("A long chat title") })

            let file = try run(["cat", mount.path(".chatfs/status")]).stdout
            let table = file.split(separator: "\n").drop { !$0.hasPrefix("CHAT ") }
            #expect(table.count > 3, "\(file)")
            #expect(table.allSatisfy { columns($0) <= 100 }, "\(file)")
            #expect(table.contains { $0.hasPrefix("A long chat title") && $0.contains("…") }, "\(file)")

            let narrow = try run(["script", "-qec", "stty cols 70; \(Binaries.chatfs) status --cache-dir \(mount.cacheDirectory)", "/dev/null"])
            // A terminal ends lines with \r\n.
            let rows = narrow.stdout.split(whereSeparator: \.isNewline).drop { !$0.hasPrefix("CHAT ") }
            #expect(rows.count > 3 && rows.allSatisfy { columns($0) <= 70 }, "\(narrow.stdout)")

            let piped = try run([Binaries.chatfs, "status", "--cache-dir", mount.cacheDirectory]).stdout
            #expect(piped.contains(long.trimmingCharacters(in: .whitespaces)), "a pipe gets whole names")
        }
    }
}
