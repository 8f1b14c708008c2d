import SystemIntegration
import Testing
import TestSupport

/// sd_notify(3)'s protocol, received on a socket of the test's own.
struct ServiceNotifierTests {
    @Test(arguments: [false, true])
    func readyAndStoppingArriveAsDatagrams(abstract: Bool) throws {
        let socket = try NotifySocket(abstract: abstract)
        let notifier = try #require(ServiceNotifier(environment: ["NOTIFY_SOCKET": socket.address]))
        try notifier.ready(status: "mounted 3 chats")
        #expect(socket.receive(timeout: 5) == "READY=1\nSTATUS=mounted 3 chats")
        try notifier.stopping(status: "unmounting")
        #expect(socket.receive(timeout: 5) == "STOPPING=1\nSTATUS=unmounting")
    }

    @Test func withoutASocketThereIsNothingToNotify() {
        #expect(ServiceNotifier(environment: [:]) == nil)
        #expect(ServiceNotifier(environment: ["NOTIFY_SOCKET": "relative"]) == nil)
    }

    @Test func aSocketNobodyListensOnIsAnError() throws {
        let directory = try TemporaryDirectory("chatfs-notify")
        let notifier = try #require(ServiceNotifier(environment: ["NOTIFY_SOCKET": directory.path + "/none"]))
        #expect(throws: NotifyError.self) { try notifier.ready(status: "x") }
    }
}
