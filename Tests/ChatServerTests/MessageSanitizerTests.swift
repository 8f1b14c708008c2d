import Testing

@testable import ChatServer

/// Expected outputs were produced by nh3 0.3 (`nh3.clean(text, tags={b i strong em u s br p code pre})`),
/// the sanitizer the backend runs.
struct MessageSanitizerTests {
    @Test(arguments: [
        ("5 > 3 & 2 < 4", "5 &gt; 3 &amp; 2 &lt; 4"),
        ("He said \"hi\" it's", "He said \"hi\" it's"),
        ("hello <b>x</b> & <script>bad()</script>", "hello <b>x</b> &amp; "),
        ("I can't open it: the error says <Access denied> & nothing else",
         "I can't open it: the error says  &amp; nothing else"),
        ("<a href=\"http://x\">click</a> here", "click here"),
        ("<u>u</u><s>s</s><strong>st</strong><em>em</em>", "<u>u</u><s>s</s><strong>st</strong><em>em</em>"),
        ("<B CLASS='x'>up</B>", "<b>up</b>"),
        ("<pre>  code\n  x</pre>", "<pre>  code\n  x</pre>"),
        ("<code>&lt;</code>", "<code>&lt;</code>"),
        ("<img src=x onerror=alert(1)>img", "img"),
        ("<scripts>x</scripts>", "x"),
        ("<div>\n<p>para</p>\n</div>", "\n<p>para</p>\n"),
    ])
    func escapesTextAndKeepsOnlyAllowedTags(input: String, expected: String) {
        #expect(MessageSanitizer.sanitize(input) == expected)
    }

    @Test(arguments: [
        ("<b>unclosed", "<b>unclosed</b>"),
        ("stray </b> end", "stray  end"),
        ("<br/>a<br>b</br>c", "<br>a<br>b<br>c"),
        ("<p>one<p>two", "<p>one</p><p>two</p>"),
        ("<p><b>x<p>y", "<p><b>x</b></p><p><b>y</b></p>"),
        ("</p>", "<p></p>"),
        ("<i>a</b>b</i>", "<i>ab</i>"),
        ("<b><i>x</b>y</i>", "<b><i>x</i></b><i>y</i>"),
        ("<p><b>x</p>y", "<p><b>x</b></p><b>y</b>"),
        ("<b>x<pre>y", "<b>x<pre>y</pre></b>"),
        ("x </b", "x "),
    ])
    func balancesTagsLikeTheHTMLTreeBuilder(input: String, expected: String) {
        #expect(MessageSanitizer.sanitize(input) == expected)
    }

    @Test(arguments: [
        ("&amp; &lt;tag&gt; &copy; &#65; &#x42; &bogus; & alone", "&amp; &lt;tag&gt; \u{A9} A B &amp;bogus; &amp; alone"),
        ("&#0; &#xD800; &#1114112;", "\u{FFFD} \u{FFFD} \u{FFFD}"),
        ("&lt", "&lt;"),
        ("&ampx", "&amp;x"),
        ("&apos &apos;", "&amp;apos '"),
        ("tab\tnbsp\u{A0}end", "tab\tnbsp&nbsp;end"),
    ])
    func decodesAndReescapesCharacterReferences(input: String, expected: String) {
        #expect(MessageSanitizer.sanitize(input) == expected)
    }

    @Test(arguments: [
        ("a\r\nb\rc", "a\nb\nc"),
        ("null\u{0}char", "nullchar"),
        ("<!-- comment -->text<!bogus>more<?php x ?>end", "textmoreend"),
        ("</ 3>after", "after"),
        ("</>x", "x"),
        ("a <3 b", "a &lt;3 b"),
        ("x <", "x &lt;"),
        ("x </", "x &lt;/"),
        ("<script>never closed", ""),
        ("<style>p{}</style>ok", "ok"),
        ("<SCRIPT type=x>alert(1)</script >after", "after"),
    ])
    func handlesMalformedMarkupWithoutLosingText(input: String, expected: String) {
        #expect(MessageSanitizer.sanitize(input) == expected)
    }

    @Test func keepsNonASCIITextUnchanged() {
        let text = "Merci, ça marche ! Ñandú, Zoë — مرحبا 👍"
        #expect(MessageSanitizer.sanitize(text) == text)
    }
}
