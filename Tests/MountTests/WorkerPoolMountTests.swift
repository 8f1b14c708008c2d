import Foundation
import Synchronization
import Testing
import TestSupport

/// The worker pool (docs/design.md, "The request path"): a handler in a bounded wait holds
/// its worker, and the pool must leave others for everything else.
@Suite(.serialized, .enabled(if: MountSupport.available, "needs /dev/fuse, fusermount3 and built binaries"))
struct WorkerPoolMountTests {
    /// An attachment download the server holds up keeps one `cat` (and its worker) waiting;
    /// meanwhile `ls` and `cat` of a chat already cached answer. With `-o max_threads=1`
    /// they wait for the download instead (checked by hand when this test was written).
    @Test func aCachedChatAnswersWhileADownloadWaits() throws {
        try withDemoMount { server, mount in
            let chat = mount.path("Password reset")
            let files = try run(["ls", chat]).stdout.split(separator: "\n").filter { $0.hasSuffix(".txt") }
            #expect(!files.isEmpty)
            let media = mount.path("VPN ／ remote access/media")
            let attachment = try #require(try run(["ls", media]).stdout.split(separator: "\n").first.map(String.init))
            let downloads = { () throws -> Int in
                let answer = try server.request("GET", "/_test/requests")
                let object = try JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [String: Any]
                let counts = object?["counts"] as? [String: Int] ?? [:]
                return counts.filter { $0.key.hasPrefix("GET ") && $0.key.hasSuffix("/download") }.values.reduce(0, +)
            }
            let before = try downloads()
            try server.injectFault(["pathContains": "/download", "action": "delay", "delaySeconds": 15, "times": 1])
            let downloaded = Atomic<Bool>(false)
            let waiting = DispatchGroup()
            DispatchQueue.global().async(group: waiting) {
                _ = try? run(["cat", media + "/" + attachment])
                downloaded.store(true, ordering: .sequentiallyConsistent)
            }
            // The server has the request: the `cat` above is in its bounded wait.
            #expect(try eventually { try downloads() > before })
            let listed = try run(["ls", "-l", chat])
            let read = try run(["cat"] + files.map { chat + "/" + $0 })
            #expect(listed.succeeded && read.succeeded, "\(listed.stderr)\(read.stderr)")
            let downloadDone = downloaded.load(ordering: .sequentiallyConsistent)
            #expect(!downloadDone, "ls and cat waited for the download")
            waiting.wait()
        }
    }
}
