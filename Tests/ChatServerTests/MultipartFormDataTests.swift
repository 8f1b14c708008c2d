import Testing

@testable import ChatServer

struct MultipartFormDataTests {
    private let contentType = "multipart/form-data; boundary=----chatfs42"

    private func body(_ parts: [String]) -> [UInt8] {
        Array((parts.map { "------chatfs42\r\n" + $0 + "\r\n" }.joined() + "------chatfs42--\r\n").utf8)
    }

    @Test func findsTheFilePartWithItsNameTypeAndExactBytes() throws {
        let form = try MultipartFormData(
            contentType: contentType,
            body: body([
                "Content-Disposition: form-data; name=\"note\"\r\n\r\nhello",
                "Content-Disposition: form-data; name=\"file\"; filename=\"log.txt\"\r\nContent-Type: text/plain\r\n\r\nline 1\r\nline 2\r\n",
            ]))
        let file = try #require(form.part(named: "file"))
        #expect(file.filename == "log.txt")
        #expect(file.contentType == "text/plain")
        #expect(Array(file.body) == Array("line 1\r\nline 2\r\n".utf8))
        #expect(form.part(named: "note").map { Array($0.body) } == Array("hello".utf8))
    }

    @Test func readsQuotedBoundaries() throws {
        let form = try MultipartFormData(
            contentType: "multipart/form-data; boundary=\"----chatfs42\"",
            body: body(["Content-Disposition: form-data; name=\"file\"; filename=\"a\"\r\n\r\nx"]))
        #expect(form.parts.count == 1)
    }

    /// curl sends a file name as is inside quotes (percent-escaping only `"`, CR and LF);
    /// other clients backslash-escape quotes.
    @Test(arguments: [
        (#"filename="notes;v2=final.txt""#, "notes;v2=final.txt"),
        (#"filename="say \"hi\" \\ bye.txt""#, #"say "hi" \ bye.txt"#),
        (#"filename=plain.txt"#, "plain.txt"),
        (#"FileName="upper.txt""#, "upper.txt"),
    ])
    func readsFileNamesWithSeparatorsAndEscapes(parameter: String, filename: String) throws {
        let form = try MultipartFormData(
            contentType: contentType,
            body: body(["Content-Disposition: form-data; name=\"file\"; \(parameter)\r\n\r\nx"]))
        let file = try #require(form.part(named: "file"))
        #expect(file.filename == filename)
    }

    @Test func refusesBodiesWithMorePartsThanTheLimit() throws {
        let field = "Content-Disposition: form-data; name=\"f\"\r\n\r\n"
        let atLimit = try MultipartFormData(
            contentType: contentType, body: body(Array(repeating: field, count: MultipartFormData.maximumParts)))
        #expect(atLimit.parts.count == MultipartFormData.maximumParts)
        #expect(throws: MultipartFormData.ParseError.self) {
            try MultipartFormData(
                contentType: contentType, body: body(Array(repeating: field, count: MultipartFormData.maximumParts + 1)))
        }
    }

    @Test func refusesOtherContentTypesTruncatedBodiesAndOversizedHeaders() {
        #expect(throws: MultipartFormData.ParseError.notMultipart) {
            try MultipartFormData(contentType: "application/json", body: [])
        }
        let truncated = Array("------chatfs42\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nno end".utf8)
        #expect(throws: MultipartFormData.ParseError.self) {
            try MultipartFormData(contentType: contentType, body: truncated)
        }
        #expect(throws: MultipartFormData.ParseError.self) {
            try MultipartFormData(contentType: contentType, body: Array("garbage".utf8))
        }
        let longHeader = "Content-Disposition: form-data; name=\"file\"\r\nX-Padding: "
            + String(repeating: "x", count: MultipartFormData.maximumHeaderBytes) + "\r\n\r\nx"
        #expect(throws: MultipartFormData.ParseError.malformed("part headers too long")) {
            try MultipartFormData(contentType: contentType, body: body([longHeader]))
        }
    }
}
