import ArgumentParser
import ChatCache

/// `--cache-size 500M`: see `ByteSize` for the units.
struct CacheSize: ExpressibleByArgument {
    var bytes: Int64

    init(bytes: Int64) {
        self.bytes = bytes
    }

    init?(argument: String) {
        guard let bytes = try? ByteSize.parse(argument), bytes > 0 else { return nil }
        self.bytes = bytes
    }

    var defaultValueDescription: String { "500M" }
}
