import Foundation

/// The libFuzzer entry point: one binary for every target, the target named by the
/// `CHATFS_FUZZ_TARGET` environment variable (scripts/fuzz sets it).
let targets: [String: ([UInt8]) -> Void] = [
    "wire": WireDecodingTarget.run,
    "html": HTMLEntitiesTarget.run,
    "date": WireDateTarget.run,
    "names": NamesTarget.run,
    "outbox": OutboxClassifyTarget.run,
    "render": MessageRenderTarget.run,
    "sequence": FileNameSequenceTarget.run,
]

let selected: ([UInt8]) -> Void = {
    let name = ProcessInfo.processInfo.environment["CHATFS_FUZZ_TARGET"] ?? ""
    guard let target = targets[name] else {
        fatalError("set CHATFS_FUZZ_TARGET to one of: \(targets.keys.sorted().joined(separator: ", "))")
    }
    return target
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    selected(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
