import ArgumentParser
import ChatAPI
import ChatConfig
@testable import chatfs
import Testing

/// Runtime failures map to their own exit statuses; ArgumentParser's stay its own (64...).
struct CommandFailureTests {
    @Test func libraryErrorsMapToTheirStatus() {
        #expect(CommandFailure(APIError.offline("down"))?.status == .unavailable)
        #expect(CommandFailure(APIError.authenticationFailed("User not found"))?.status == .refused)
        #expect(CommandFailure(ConfigError.unknownAccount(path: "c", name: "x", known: []))?.status == .configuration)
        let certificate = APIError.certificate(TLSProblem(TransportError(kind: .notSent, curlCode: 60,
                                                                         message: "SSL certificate problem: self-signed certificate"))!)
        let failure = CommandFailure(certificate)
        #expect(failure?.status == .configuration)
        #expect(failure?.description.contains("--ca-file") == true)
    }

    @Test func argumentParsersOwnErrorsAreLeftToIt() {
        #expect(CommandFailure(ValidationError("bad")) == nil)
        #expect(CommandFailure(ExitCode(3)) == nil)
    }

    @Test func sixtyFourIsOnlyForUsage() {
        #expect(ExitStatus.allCases.filter { $0.rawValue == 64 } == [.usage])
        #expect(Set(ExitStatus.allCases.map(\.rawValue)).count == ExitStatus.allCases.count)
    }
}
