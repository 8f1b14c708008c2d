import Testing
@testable import ChatAPI

@Suite struct HTMLEntitiesTests {
    @Test func decodesWhatTheSanitizerEscapes() {
        #expect(HTMLEntities.decode("it still says &lt;Access denied&gt; &amp; more") == "it still says <Access denied> & more")
        #expect(HTMLEntities.decode("&quot;quoted&quot; &#39;single&#39; &apos;") == "\"quoted\" 'single' '")
    }

    @Test func decodesNumericReferences() {
        #expect(HTMLEntities.decode("&#60;&#x3C;&#X3c;&#233;&#x1F600;") == "<<<é😀")
    }

    @Test func decodesInOnePassSoEscapedEntitiesStayAsTyped() {
        #expect(HTMLEntities.decode("&amp;lt;b&amp;gt;") == "&lt;b&gt;")
        #expect(HTMLEntities.decode("&amp;amp;") == "&amp;")
    }

    @Test(arguments: ["AT&T", "a & b", "&nbsp;", "&copy;", "&#;", "&#x;", "&#0;", "&#xD800;", "&#x110000;",
                      "&#+60;", "&#-60;", "&#x+3C;", "&lt", "&", "&&", "&amp", "&#99999999999;"])
    func leavesEverythingElseAlone(text: String) {
        #expect(HTMLEntities.decode(text) == text)
    }

    @Test func keepsTextAroundEntitiesAndNonASCII() {
        #expect(HTMLEntities.decode("مرحبا &lt;3 — ok&gt;") == "مرحبا <3 — ok>")
        #expect(HTMLEntities.decode("no entities here") == "no entities here")
    }
}
