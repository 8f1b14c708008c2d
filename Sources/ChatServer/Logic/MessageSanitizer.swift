/// Cleans message content the way the backend's nh3 (ammonia + html5ever) call does:
/// text is HTML-escaped (`&`, `<`, `>`; quotes are left alone), the tags
/// `b i strong em u s br p code pre` survive without attributes, every other tag is removed
/// but its text kept, and `script`/`style` elements vanish with their content. Like the
/// HTML tree builder, unclosed kept tags are closed at the end, stray end tags are dropped,
/// character references are decoded (then re-escaped) and line breaks become `\n`.
///
/// This is a tokenizer-level imitation, not a full HTML5 parser: it covers what chat
/// messages contain, not every tree-construction corner case.
public enum MessageSanitizer {
    static let keptTags: Set<String> = ["b", "i", "strong", "em", "u", "s", "br", "p", "code", "pre"]
    static let droppedWithContent: Set<String> = ["script", "style"]

    public static func sanitize(_ text: String) -> String {
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
        openElements.removeAll()
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
        if name == "br" {
            output += "<br>"
            return
        }
        if name == "p", openElements.contains("p") {
            // A new paragraph closes the open one; formatting opened inside it is reopened.
            let reopened = closeElements(through: "p").filter { $0 != "p" }
            output += "<p>"
            openElements.append("p")
            for element in reopened {
                output += "<\(element)>"
                openElements.append(element)
            }
            return
        }
        output += "<\(name)>"
        openElements.append(name)
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
            output += "<br>"  // html5ever treats </br> as <br>
        } else if openElements.contains(name) {
            _ = closeElements(through: name)
        } else if name == "p" {
            output += "<p></p>"  // an unmatched </p> creates an empty paragraph
        }
    }

    /// Closes open elements from the innermost up to and including `name`; returns the
    /// closed names outermost first.
    private mutating func closeElements(through name: String) -> [String] {
        guard let index = openElements.lastIndex(of: name) else { return [] }
        let closed = Array(openElements[index...])
        for element in closed.reversed() { output += "</\(element)>" }
        openElements.removeSubrange(index...)
        return closed
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

    private static let namedReferences: [(String, Unicode.Scalar, Bool)] = [
        ("amp", "&", false), ("lt", "<", false), ("gt", ">", false), ("quot", "\"", false),
        ("nbsp", "\u{A0}", false), ("apos", "'", true),
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
