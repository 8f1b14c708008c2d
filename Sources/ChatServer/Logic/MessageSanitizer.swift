/// Cleans message content the way the backend's nh3 (ammonia + html5ever) call does:
/// text is HTML-escaped (`&`, `<`, `>`; quotes are left alone), the tags
/// `b i strong em u s br p code pre` survive without attributes, every other tag is removed
/// but its text kept, and `script`/`style` elements vanish with their content. Like the
/// HTML tree builder, unclosed kept tags are closed at the end, stray end tags are dropped,
/// formatting closed out of order is reopened, character references are decoded (then
/// re-escaped) and line breaks become `\n`.
///
/// This is a tokenizer-level imitation checked against nh3 0.3, not a full HTML5 parser:
/// dropped block tags (`div`...) do not close paragraphs, `textarea`/`title` content is not
/// treated as text, and only common named character references are known.
enum MessageSanitizer {
    static let keptTags: Set<String> = ["b", "i", "strong", "em", "u", "s", "br", "p", "code", "pre"]
    /// Kept tags the HTML tree builder reopens when they were closed implicitly.
    static let formattingTags: Set<String> = ["b", "i", "strong", "em", "u", "s", "code"]
    static let droppedWithContent: Set<String> = ["script", "style"]

    static func sanitize(_ text: String) -> String {
        var cleaner = Cleaner(input: normalizedLineBreaks(text))
        cleaner.run()
        return cleaner.output
    }

    /// HTML input preprocessing: CRLF and lone CR become LF.
    private static func normalizedLineBreaks(_ text: String) -> [Unicode.Scalar] {
        var result: [Unicode.Scalar] = []
        result.reserveCapacity(text.unicodeScalars.count)
        var previousWasCarriageReturn = false
        for scalar in text.unicodeScalars {
            if scalar == "\r" {
                result.append("\n")
                previousWasCarriageReturn = true
                continue
            }
            if !(scalar == "\n" && previousWasCarriageReturn) { result.append(scalar) }
            previousWasCarriageReturn = false
        }
        return result
    }
}

private struct Cleaner {
    let input: [Unicode.Scalar]
    var position = 0
    var output = ""
    /// Kept elements currently open, innermost last.
    var openElements: [String] = []
    /// Formatting elements closed implicitly, reopened before the next content (the tree
    /// builder's "reconstruct the active formatting elements").
    var pendingReopen: [String] = []

    init(input: [Unicode.Scalar]) {
        self.input = input
    }

    mutating func run() {
        while position < input.count {
            let scalar = input[position]
            switch scalar {
            case "<": consumeMarkup()
            case "&": appendText(consumeCharacterReference())
            case "\0": position += 1  // the tree builder ignores NUL in body text
            default:
                appendText(scalar)
                position += 1
            }
        }
        for name in openElements.reversed() { output += "</\(name)>" }
    }

    // MARK: Markup

    private mutating func consumeMarkup() {
        let next = peek(1)
        if let next, next.isASCIILetter {
            consumeStartTag()
        } else if next == "/" {
            consumeEndTag()
        } else if next == "!" {
            if matches("<!--", at: position) {
                skip(past: ["-", "-", ">"], from: position + 4)
            } else {
                skip(past: [">"], from: position + 2)
            }
        } else if next == "?" {
            skip(past: [">"], from: position + 2)
        } else {
            appendText("<")
            position += 1
        }
    }

    private mutating func consumeStartTag() {
        guard let (name, end) = readTag(nameStart: position + 1) else {
            position = input.count  // EOF inside a tag: the tokenizer drops it
            return
        }
        position = end
        if MessageSanitizer.droppedWithContent.contains(name) {
            skipRawText(of: name)
            return
        }
        guard MessageSanitizer.keptTags.contains(name) else { return }
        switch name {
        case "br":
            reopenPendingFormatting()
            output += "<br>"
        case "p", "pre":
            // A new block closes an open paragraph (its formatting is reopened later).
            if openElements.contains("p") { closeElements(through: "p") }
            open(name)
        default:
            reopenPendingFormatting()
            open(name)
        }
    }

    private mutating func consumeEndTag() {
        guard let afterSlash = peek(2) else {
            appendText("<")
            appendText("/")
            position = input.count
            return
        }
        if afterSlash == ">" {
            position += 3
            return
        }
        guard afterSlash.isASCIILetter else {
            skip(past: [">"], from: position + 2)
            return
        }
        guard let (name, end) = readTag(nameStart: position + 2) else {
            position = input.count
            return
        }
        position = end
        guard MessageSanitizer.keptTags.contains(name) else { return }
        if name == "br" {
            reopenPendingFormatting()
            output += "<br>"  // html5ever treats </br> as <br>
        } else if openElements.contains(name) {
            closeElements(through: name)
        } else if let pending = pendingReopen.lastIndex(of: name) {
            pendingReopen.remove(at: pending)
        } else if name == "p" {
            output += "<p></p>"  // an unmatched </p> creates an empty paragraph
        }
    }

    private mutating func open(_ name: String) {
        output += "<\(name)>"
        openElements.append(name)
    }

    /// Closes open elements from the innermost up to and including `name`; formatting
    /// elements closed on the way are reopened before the next content.
    private mutating func closeElements(through name: String) {
        guard let index = openElements.lastIndex(of: name) else { return }
        let above = openElements[(index + 1)...]
        for element in openElements[index...].reversed() { output += "</\(element)>" }
        pendingReopen += above.filter { MessageSanitizer.formattingTags.contains($0) }
        openElements.removeSubrange(index...)
    }

    private mutating func reopenPendingFormatting() {
        for element in pendingReopen { open(element) }
        pendingReopen.removeAll()
    }

    /// Reads a tag name (lowercased) and skips its attributes; returns the name and the
    /// position after `>`, or nil when the input ends inside the tag.
    private func readTag(nameStart: Int) -> (String, Int)? {
        var index = nameStart
        var name = ""
        while index < input.count, !input[index].isTagNameTerminator {
            name.unicodeScalars.append(input[index].asciiLowercased)
            index += 1
        }
        var quote: Unicode.Scalar?
        var previousSignificant: Unicode.Scalar?
        while index < input.count {
            let scalar = input[index]
            index += 1
            if let open = quote {
                if scalar == open { quote = nil }
                continue
            }
            if scalar == ">" { return (name, index) }
            if (scalar == "\"" || scalar == "'"), previousSignificant == "=" {
                quote = scalar
            }
            if !scalar.isHTMLWhitespace { previousSignificant = scalar }
        }
        return nil
    }

    /// Skips the raw text of a script/style element and its end tag (or everything, when
    /// the end tag never comes).
    private mutating func skipRawText(of name: String) {
        let closing = Array("</\(name)".unicodeScalars)
        var index = position
        while index + closing.count <= input.count {
            if zip(closing, input[index...]).allSatisfy({ $0 == $1.asciiLowercased }) {
                let after = index + closing.count
                if after == input.count || input[after].isTagNameTerminator {
                    position = readTag(nameStart: index + 2)?.1 ?? input.count
                    return
                }
            }
            index += 1
        }
        position = input.count
    }

    private mutating func skip(past terminator: [Unicode.Scalar], from start: Int) {
        var index = start
        while index + terminator.count <= input.count {
            if matches(terminator, at: index) {
                position = index + terminator.count
                return
            }
            index += 1
        }
        position = input.count
    }

    // MARK: Text

    private mutating func appendText(_ scalar: Unicode.Scalar) {
        if !pendingReopen.isEmpty { reopenPendingFormatting() }
        switch scalar {
        case "&": output += "&amp;"
        case "<": output += "&lt;"
        case ">": output += "&gt;"
        case "\u{A0}": output += "&nbsp;"
        default: output.unicodeScalars.append(scalar)
        }
    }

    /// Decodes the character reference at `position` (numeric, or one of the common named
    /// ones); an unrecognised `&` is plain text.
    private mutating func consumeCharacterReference() -> Unicode.Scalar {
        if peek(1) == "#" {
            var index = position + 2
            let hexadecimal = index < input.count && (input[index] == "x" || input[index] == "X")
            if hexadecimal { index += 1 }
            let digitsStart = index
            var value: UInt32 = 0
            while index < input.count, let digit = input[index].digitValue(hexadecimal: hexadecimal) {
                value = value > 0x10FFFF ? value : value * (hexadecimal ? 16 : 10) + digit
                index += 1
            }
            guard index > digitsStart else {
                position += 1
                return "&"
            }
            if index < input.count, input[index] == ";" { index += 1 }
            position = index
            let isSurrogate = (0xD800...0xDFFF).contains(value)
            return value == 0 || isSurrogate ? "\u{FFFD}" : Unicode.Scalar(value) ?? "\u{FFFD}"
        }
        for (name, scalar, needsSemicolon) in Self.namedReferences {
            let reference = Array(("&" + name).unicodeScalars)
            guard matches(reference, at: position) else { continue }
            let after = position + reference.count
            if after < input.count, input[after] == ";" {
                position = after + 1
                return scalar
            }
            if !needsSemicolon {
                position = after
                return scalar
            }
        }
        position += 1
        return "&"
    }

    /// (name, character, needs `;`): the common references; HTML's legacy ones also work
    /// without the semicolon.
    private static let namedReferences: [(String, Unicode.Scalar, Bool)] = [
        ("amp", "&", false), ("lt", "<", false), ("gt", ">", false), ("quot", "\"", false),
        ("nbsp", "\u{A0}", false), ("apos", "'", true), ("copy", "\u{A9}", false), ("reg", "\u{AE}", false),
        ("deg", "\u{B0}", false), ("middot", "\u{B7}", false), ("times", "\u{D7}", false),
        ("laquo", "\u{AB}", false), ("raquo", "\u{BB}", false), ("eacute", "\u{E9}", false),
        ("trade", "\u{2122}", true), ("hellip", "\u{2026}", true), ("mdash", "\u{2014}", true),
        ("ndash", "\u{2013}", true), ("euro", "\u{20AC}", true),
    ]

    // MARK: Helpers

    private func peek(_ offset: Int) -> Unicode.Scalar? {
        position + offset < input.count ? input[position + offset] : nil
    }

    private func matches(_ text: String, at index: Int) -> Bool {
        matches(Array(text.unicodeScalars), at: index)
    }

    private func matches(_ scalars: [Unicode.Scalar], at index: Int) -> Bool {
        index + scalars.count <= input.count && zip(scalars, input[index...]).allSatisfy { $0 == $1 }
    }
}

extension Unicode.Scalar {
    fileprivate var isASCIILetter: Bool {
        ("a"..."z").contains(self) || ("A"..."Z").contains(self)
    }

    fileprivate var asciiLowercased: Unicode.Scalar {
        ("A"..."Z").contains(self) ? Unicode.Scalar(value + 32)! : self
    }

    fileprivate var isHTMLWhitespace: Bool {
        self == " " || self == "\t" || self == "\n" || self == "\u{0C}"
    }

    fileprivate var isTagNameTerminator: Bool {
        isHTMLWhitespace || self == "/" || self == ">"
    }

    fileprivate func digitValue(hexadecimal: Bool) -> UInt32? {
        switch self {
        case "0"..."9": value - 48
        case "a"..."f" where hexadecimal: value - 87
        case "A"..."F" where hexadecimal: value - 55
        default: nil
        }
    }
}
