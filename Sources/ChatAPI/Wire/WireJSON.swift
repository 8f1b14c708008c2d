import Foundation

/// The JSON coders for the wire: camelCase keys as the server sends them (the default),
/// the server's datetime forms, unknown fields ignored (the default for Decodable).
/// Public so stand-ins for the server in other modules' tests decode as the client does.
public enum WireJSON {
    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = WireDate.decodingStrategy
        return decoder
    }

    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return encoder
    }
}
