/// Terminal columns a piece of text occupies.
///
/// `ANSI.visibleWidth` counts characters, which is right for what the figure renderers emit but
/// not for lesson prose: a combining accent takes no column, a CJK ideograph or an emoji takes two.
/// Wrapping by `String.count` would push such lines past the edge, where the terminal wraps them
/// again mid-word. The rules follow `wcwidth` as terminals implement it, applied per grapheme
/// cluster (the widest scalar wins), so `e` + U+0301 is one column and a flag or ZWJ emoji is two.
enum DisplayWidth {
    /// Columns of `text`, escapes excluded.
    static func columns(_ text: String) -> Int {
        var total = 0
        for character in ANSI.strip(text) { total += columns(character) }
        return total
    }

    /// Columns of one grapheme cluster.
    static func columns(_ character: Character) -> Int {
        // VS16 asks for emoji presentation (❤️): terminals that honour it draw two columns, and
        // counting two for the others only leaves a line one column short, never too long.
        let scalars = character.unicodeScalars
        if scalars.count > 1, scalars.contains("\u{FE0F}"), scalars.first?.properties.isEmoji == true { return 2 }
        var widest = 0
        for scalar in character.unicodeScalars {
            widest = max(widest, columns(scalar))
            if widest == 2 { break }
        }
        return widest
    }

    /// Columns of one scalar: 0 for controls, marks and format characters, 2 for East Asian
    /// wide/fullwidth and emoji-presentation scalars, 1 otherwise (East Asian "ambiguous" counts
    /// as 1, as in every non-CJK locale, so `•`, `‖`, `σ` stay narrow).
    static func columns(_ scalar: Unicode.Scalar) -> Int {
        let v = scalar.value
        if v < 0x20 || (0x7F..<0xA0).contains(v) { return 0 }
        if v < 0x300 { return 1 }  // Latin, the common case, without a property lookup
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        default: break
        }
        if (0x1160...0x11FF).contains(v) { return 0 }  // Hangul medial vowels and finals join the syllable
        if scalar.properties.isEmojiPresentation { return 2 }
        for range in wideRanges where range.contains(v) { return 2 }
        return 1
    }

    /// East Asian Wide and Fullwidth blocks (EastAsianWidth.txt, coarsened to blocks).
    private static let wideRanges: [ClosedRange<UInt32>] = [
        0x1100...0x115F, 0x2329...0x232A, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF,
        0x4E00...0x9FFF, 0xA000...0xA4CF, 0xA960...0xA97F, 0xAC00...0xD7A3, 0xF900...0xFAFF,
        0xFE10...0xFE19, 0xFE30...0xFE6F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x1F300...0x1F64F,
        0x1F900...0x1F9FF, 0x20000...0x2FFFD, 0x30000...0x3FFFD,
    ]
}
