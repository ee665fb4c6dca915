/// Text made safe for the book's pages, which are XHTML: well-formed XML that browsers read as
/// HTML from a file:// address.
///
/// Everything that comes from a lesson or from running it — prose, code, outputs, error messages,
/// answers — passes through here on its way into a page: `&`, `<` and `>` become references (and
/// the quotes too, inside attributes), so no lesson text can open an element or end an attribute.
/// XML 1.0 forbids most control characters even as references (`&#1;` is not well-formed), so
/// those are written visibly as `\u{1}`, the way the terminal shows them.
enum HTMLText {
    /// Character data: element content.
    static func text(_ s: String) -> String { escaped(s, quotes: false) }

    /// An attribute value, to be written between double quotes.
    static func attribute(_ s: String) -> String { escaped(s, quotes: true) }

    private static func escaped(_ s: String, quotes: Bool) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"" where quotes: out += "&quot;"
            case "'" where quotes: out += "&#39;"
            // In an attribute a newline or tab would be read back as a space: keep them.
            case "\n" where quotes: out += "&#10;"
            case "\t" where quotes: out += "&#9;"
            case "\n", "\t": out.unicodeScalars.append(scalar)
            default:
                if isAllowed(scalar) {
                    out.unicodeScalars.append(scalar)
                } else {
                    out += "\\u{" + String(scalar.value, radix: 16) + "}"
                }
            }
        }
        return out
    }

    /// Characters XML 1.0 allows (tab and newline handled above; carriage returns are folded by
    /// XML into newlines, so they are shown as escapes too), without the C1 controls, which HTML
    /// reports as errors.
    private static func isAllowed(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x20...0x7E, 0xA0...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: true
        default: false
        }
    }
}
