import Foundation

/// Small, valid media files for the demo data (so `file` recognizes what chatfs downloads).
enum DemoMedia {
    /// A 48×32 baseline JFIF image.
    private static let baseJPEG = decode("""
        /9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAoHBwgHBgoICAgLCgoLDhgQDg0NDh0VFhEYIx8lJCIfIiEmKzcvJik0KSEiMEExNDk7Pj4+JS5\
        ESUM8SDc9Pjv/2wBDAQoLCw4NDhwQEBw7KCIoOzs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozv/wAAR\
        CAAgADADASIAAhEBAxEB/8QAFwAAAwEAAAAAAAAAAAAAAAAAAAIEA//EAC8QAAEDAQQIBQUBAAAAAAAAAAMBAgQABRETIRIiMTJBVJTTNWF0\
        obIUUVNxkSP/xAAZAQACAwEAAAAAAAAAAAAAAAABAgADBQb/xAAmEQABAwIFAwUAAAAAAAAAAAABAAIRAyESMVFh8BOB0UFxscHh/9oADAMB\
        AAIRAxEAPwCaJEjliGkyZBRMERg0QYkeqq5HLxc27c96bCsjnpvRs7lAvAZfqgfEtQ10okk3WHYAWV2FZHPTejZ3KMKyOem9GzuVDVIIBjCx\
        naIQflKui1duScVXJckvpKj20m4nugdvGeyLQXGGtWuFZHPTejZ3KWXEjiiBkxpBSsKR41QgkYqK1Grwc6/f9qZTQol7YwvqSZpjHbqptTVZ\
        /N6/9U0ojzWNHKRb3vmSHOX7qrRVXTqPe4GCG72J7RI7wdkzmtAOu3nnulF4DL9UD4lrIEAxhYztEIPylXRau3JOKrkuSX08SXHFENGkxylY\
        UjCIoyoxUVqOTi11+/7VvInWfKKpTxp5HrxdMbl5J/nknlRqdaYp2n1z0yH2ctCo3BEu5zkLJTQol7YwvqSZpjHbqptTVZ/N6/8AVTSJJpRV\
        KcriPXi5dnkn2TyqnFsjkZvWM7dGLZHIzesZ26FOg1jsZBLtTBP4NhA2Uc8uESANBz5UNXF8BieqP8RUYtkcjN6xnbpZcuOWIGNGjlEwRHkV\
        SFR6qrkanBrbtz3q+SSLJLAG6//Z
        """)

    /// A 16×16 red PNG.
    static let png = decode("""
        iVBORw0KGgoAAAANSUhEUgAAABAAAAAQCAIAAACQkWg2AAAAGklEQVR42mN84ODAQApgYiARjGoY1TB0NAAAaCwBgNtyWMEAAAAASUVORK5C\
        YII=
        """)

    /// A one-page PDF reading "Printer error log - tray 2 jam".
    static let pdf = decode("""
        JVBERi0xLjQKMSAwIG9iago8PCAvVHlwZSAvQ2F0YWxvZyAvUGFnZXMgMiAwIFIgPj4KZW5kb2JqCjIgMCBvYmoKPDwgL1R5cGUgL1BhZ2Vz\
        IC9LaWRzIFszIDAgUl0gL0NvdW50IDEgPj4KZW5kb2JqCjMgMCBvYmoKPDwgL1R5cGUgL1BhZ2UgL1BhcmVudCAyIDAgUiAvTWVkaWFCb3gg\
        WzAgMCA1OTUgODQyXSAvQ29udGVudHMgNCAwIFIgL1Jlc291cmNlcyA8PCAvRm9udCA8PCAvRjEgNSAwIFIgPj4gPj4gPj4KZW5kb2JqCjQg\
        MCBvYmoKPDwgL0xlbmd0aCA2MSA+PgpzdHJlYW0KQlQgL0YxIDE4IFRmIDcyIDc3MCBUZCAoUHJpbnRlciBlcnJvciBsb2cgLSB0cmF5IDIg\
        amFtKSBUaiBFVAplbmRzdHJlYW0KZW5kb2JqCjUgMCBvYmoKPDwgL1R5cGUgL0ZvbnQgL1N1YnR5cGUgL1R5cGUxIC9CYXNlRm9udCAvSGVs\
        dmV0aWNhID4+CmVuZG9iagp4cmVmCjAgNgowMDAwMDAwMDAwIDY1NTM1IGYgCjAwMDAwMDAwMDkgMDAwMDAgbiAKMDAwMDAwMDA1OCAwMDAw\
        MCBuIAowMDAwMDAwMTE1IDAwMDAwIG4gCjAwMDAwMDAyNDEgMDAwMDAgbiAKMDAwMDAwMDM1MiAwMDAwMCBuIAp0cmFpbGVyCjw8IC9TaXpl\
        IDYgL1Jvb3QgMSAwIFIgPj4Kc3RhcnR4cmVmCjQyMgolJUVPRgo=
        """)

    /// The demo JPEG with a comment segment after its JFIF header, so every screenshot has
    /// its own bytes and hash while staying a valid image.
    static func jpeg(comment: String) -> [UInt8] {
        let text = Array(comment.utf8.prefix(1000))
        let length = text.count + 2
        let segment: [UInt8] = [0xFF, 0xFE, UInt8(length >> 8), UInt8(length & 0xFF)] + text
        let jfifHeaderEnd = 20  // SOI (2 bytes) + APP0 marker (2) + APP0 payload (16)
        return Array(baseJPEG[..<jfifHeaderEnd]) + segment + Array(baseJPEG[jfifHeaderEnd...])
    }

    private static func decode(_ base64: String) -> [UInt8] {
        // The literals above are fixed and valid; an empty array would only mean a typo in them.
        [UInt8](Data(base64Encoded: base64.filter { !$0.isWhitespace }) ?? Data())
    }
}
