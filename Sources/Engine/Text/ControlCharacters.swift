/// The one escaper for text that reaches a terminal from outside the program: strings a script
/// builds or loads, lesson files, CSV cells, NPY headers, file names.
///
/// Why it is needed: a terminal *acts* on control characters instead of showing them. ESC starts a
/// sequence that can clear the screen (`ESC[2J`), move the cursor, retitle the window or rewrite
/// what was printed before; CR returns to the start of the line and BS steps back, so an error
/// message could be overwritten by the text it quotes. Such a character is written instead as the
/// language's own escape, `\u{1b}` — visible, inert, and what the learner would type to get it.
///
/// Which characters: the C0 controls except newline and tab (which lay text out), DEL, and the C1
/// controls U+0080…U+009F (U+009B is a one-character CSI on some terminals). The renderers' own
/// colour escapes are added *after* data has been escaped, so they are untouched.
///
/// Why in Engine: it is the one module every output path imports (the language, the renderers,
/// the lessons and the REPL), so each path calls this function rather than a copy of it.
public enum ControlCharacters {
    /// Whether the terminal would act on `scalar` rather than show it (newline and tab excepted).
    public static func acts(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        if v == 0x0A || v == 0x09 { return false }
        return v < 0x20 || (0x7F...0x9F).contains(v)
    }

    /// `scalar` as the language writes it in a string literal: `\u{1b}`.
    public static func escape(_ scalar: Unicode.Scalar) -> String {
        "\\u{" + String(scalar.value, radix: 16) + "}"
    }

    /// `text` with every character the terminal would act on written as its escape. Unchanged
    /// (and returned without copying) when there is none; applying it twice changes nothing more.
    public static func escaped(_ text: String) -> String {
        StringLiteralSyntax.escaping(text) { acts($0) ? escape($0) : nil }
    }
}
