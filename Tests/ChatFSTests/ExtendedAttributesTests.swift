@testable import ChatFS
import Foundation
import Testing

@Suite struct ExtendedAttributesTests {
    enum Outcome: Equatable {
        case error(Int32), size(Int), bytes([UInt8]), other
    }

    func outcome(_ reply: FuseReply) -> Outcome {
        switch reply {
        case .error(let code): .error(code)
        case .extendedAttributeSize(let size): .size(size)
        case .bytes(let bytes): .bytes(bytes)
        default: .other
        }
    }

    let value = Array("a1b2c3d4".utf8)

    @Test func aSizeProbeGetsTheSizeNeeded() {
        #expect(outcome(ExtendedAttributes.reply(with: value, requestedSize: 0)) == .size(8))
    }

    @Test func aBufferTooSmallIsERANGE() {
        #expect(outcome(ExtendedAttributes.reply(with: value, requestedSize: 7)) == .error(ERANGE))
    }

    @Test func aBufferLargeEnoughGetsTheValue() {
        #expect(outcome(ExtendedAttributes.reply(with: value, requestedSize: 8)) == .bytes(value))
        #expect(outcome(ExtendedAttributes.reply(with: value, requestedSize: 4096)) == .bytes(value))
    }

    @Test func anEmptyValueIsReturnedNotProbedForever() {
        #expect(outcome(ExtendedAttributes.reply(with: [], requestedSize: 0)) == .size(0))
    }

    @Test func aValueAboveTheKernelLimitIsE2BIG() {
        let huge = [UInt8](repeating: 65, count: ExtendedAttributes.maximumSize + 1)
        #expect(outcome(ExtendedAttributes.reply(with: huge, requestedSize: 0)) == .error(E2BIG))
    }

    @Test func theNameListIsNulTerminatedNames() {
        #expect(ExtendedAttributes.nameList(["user.a", "user.bc"]) == Array("user.a\0user.bc\0".utf8))
        #expect(ExtendedAttributes.nameList([]) == [])
    }

    @Test func onlyTheUserNamespaceIsSupported() {
        #expect(ExtendedAttributes.isSupported(ExtendedAttributes.chatID))
        #expect(ExtendedAttributes.isSupported("user.other"))
        #expect(!ExtendedAttributes.isSupported("security.selinux"))
        #expect(!ExtendedAttributes.isSupported("system.posix_acl_access"))
    }

    @Test func nodesWithoutMetadataListNoAttributes() {
        for node: Node in [.root, .controlDirectory, .statusFile(.text), .statusFile(.json)] {
            #expect(ExtendedAttributes.names(of: node, triage: nil).isEmpty)
        }
    }
}
