/// Plain text (not markdown) broken into lines at spaces, so that no line is wider than the
/// screen: a terminal left to itself breaks a long line at the last column, in the middle of a
/// word ("several separated by c / ommas"). Widths are display columns (`DisplayWidth`), so
/// accents, CJK and emoji count as the terminal draws them. A word wider than a line is not cut;
/// it stands on a line of its own and the terminal wraps it. Existing newlines are kept.
public enum WordWrap {
    /// `text` wrapped to `width` columns; lines after the first of each paragraph start with
    /// `indent` spaces (a hanging indent under a "✗ " or similar prefix).
    public static func wrap(_ text: String, width: Int, indent: Int = 0) -> String {
        let width = max(width, 10)
        let pad = String(repeating: " ", count: max(0, min(indent, width / 2)))
        return text.split(separator: "\n", omittingEmptySubsequences: false).map { paragraph -> String in
            var lines: [String] = []
            var line = ""
            var lineWidth = 0
            for word in paragraph.split(separator: " ", omittingEmptySubsequences: false) {
                let w = DisplayWidth.columns(String(word))
                if line.isEmpty && lines.isEmpty {
                    line = String(word); lineWidth = w
                } else if lineWidth + 1 + w <= width {
                    line += " " + word; lineWidth += 1 + w
                } else {
                    lines.append(line)
                    line = pad + word; lineWidth = pad.count + w
                }
            }
            lines.append(line)
            return lines.joined(separator: "\n")
        }.joined(separator: "\n")
    }
}
