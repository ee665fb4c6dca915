/// A string written as a quoted literal in one syntax: the rnnlab language's, JSON's, Python's.
///
/// Every syntax walks the text's Unicode scalars, writes most of them as they are and replaces a
/// few with an escape; the syntaxes differ only in the quote and in which scalars they escape and
/// how. So the walk is written once (``escaping(_:_:)``, also behind ``ControlCharacters``) and a
/// syntax is its quote and its one rule for a scalar:
///
/// | syntax | quote | escaped |
/// |---|---|---|
/// | ``language`` | `"` | `\` `"` `\n` `\t` `\r`, and what a terminal acts on as `\u{1b}` (``ControlCharacters``) |
/// | ``json`` | `"` | `\` `"` `\n` `\t` `\r`, the other C0 controls as `\u001b` (RFC 8259 §7) |
/// | ``python`` | `'` | `\` `'` `\n` `\t` `\r`, the other C0 and C1 controls and DEL as `\x1b` (as `repr`) |
public struct StringLiteralSyntax: Sendable {
    /// The quote written on both sides.
    public let quote: Unicode.Scalar
    /// The escape that stands for `scalar` inside the quotes, or nil when it is written as it is.
    public let escape: @Sendable (Unicode.Scalar) -> String?

    public init(quote: Unicode.Scalar, escape: @escaping @Sendable (Unicode.Scalar) -> String?) {
        self.quote = quote
        self.escape = escape
    }

    /// `text` between quotes, escaped.
    public func quoted(_ text: String) -> String {
        var out = String(quote)
        out += Self.escaping(text, escape)
        out.unicodeScalars.append(quote)
        return out
    }

    /// The shared walk: `text` with each scalar that `escape` has an escape for replaced by it.
    /// Returned without copying when there is none.
    public static func escaping(_ text: String, _ escape: (Unicode.Scalar) -> String?) -> String {
        var out: String? = nil
        for (k, s) in text.unicodeScalars.enumerated() {
            guard let e = escape(s) else { out?.unicodeScalars.append(s); continue }
            if out == nil {
                out = String(String.UnicodeScalarView(text.unicodeScalars.prefix(k)))
                out!.unicodeScalars.reserveCapacity(text.unicodeScalars.count + 8)
            }
            out! += e
        }
        return out ?? text
    }

    /// The escapes every syntax here shares: backslash, the quote, newline, tab, carriage return.
    private static func common(_ s: Unicode.Scalar, quote: Unicode.Scalar) -> String? {
        switch s {
        case "\\": "\\\\"
        case quote: "\\" + String(quote)
        case "\n": "\\n"
        case "\t": "\\t"
        case "\r": "\\r"
        default: nil
        }
    }

    /// The rnnlab language's string literal (docs/language.md), as the prompt shows a string —
    /// what the learner would type to get it back.
    public static let language = StringLiteralSyntax(quote: "\"") { s in
        StringLiteralSyntax.common(s, quote: "\"") ?? (ControlCharacters.acts(s) ? ControlCharacters.escape(s) : nil)
    }

    /// A JSON string (RFC 8259): the controls below U+0020 must be escaped, the rest may stay.
    public static let json = StringLiteralSyntax(quote: "\"") { s in
        StringLiteralSyntax.common(s, quote: "\"") ?? (s.value < 0x20 ? "\\u" + StringLiteralSyntax.hex(s.value, digits: 4) : nil)
    }

    /// A Python string as `repr` writes it in single quotes, for `.npy` headers in messages.
    public static let python = StringLiteralSyntax(quote: "'") { s in
        StringLiteralSyntax.common(s, quote: "'") ?? (s.value < 0x20 || (0x7F...0x9F).contains(s.value) ? "\\x" + StringLiteralSyntax.hex(s.value, digits: 2) : nil)
    }

    /// `value` in lower-case hexadecimal, zero-padded to `digits`.
    private static func hex(_ value: UInt32, digits: Int) -> String {
        let h = String(value, radix: 16)
        return String(repeating: "0", count: Swift.max(0, digits - h.count)) + h
    }
}
