/// Any text through the entity decoder: without `&` it is unchanged, and decoding never
/// adds scalars (each entity becomes one scalar or stays as it is).
enum HTMLEntitiesTarget {
    static func run(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        let decoded = HTMLEntities.decode(text)
        if !text.contains("&") { precondition(decoded == text, "changed text without an entity") }
        precondition(decoded.unicodeScalars.count <= text.unicodeScalars.count, "decoding added scalars")
        precondition(!decoded.unicodeScalars.contains("\u{0}") || text.unicodeScalars.contains("\u{0}"), "decoded a NUL")
    }
}
