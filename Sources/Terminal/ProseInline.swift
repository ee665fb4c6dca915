// Inline markdown for `ProseRenderer`: emphasis, code spans, links and `$…$` maths become styled
// segments, and segments are wrapped into lines. Kept apart from the block structure because both
// headings, paragraphs, list items, quotes and table cells go through exactly this path.

/// How a run of text looks. Styles combine (a code span inside a heading is both).
struct ProseStyle: OptionSet, Hashable, Sendable {
    let rawValue: Int
    static let bold = ProseStyle(rawValue: 1)
    static let italic = ProseStyle(rawValue: 2)
    static let code = ProseStyle(rawValue: 4)
    static let url = ProseStyle(rawValue: 8)
    static let heading1 = ProseStyle(rawValue: 16)
    static let heading2 = ProseStyle(rawValue: 32)

    /// The SGR prefix; empty for plain text so that uncoloured runs carry no escapes at all.
    var escapes: String {
        var s = ""
        if contains(.heading1) { s += ANSI.foreground(75) }
        if contains(.heading2) { s += ANSI.foreground(110) }
        if contains(.bold) || contains(.heading1) || contains(.heading2) { s += ANSI.bold }
        if contains(.url) { s += ANSI.dim }  // the address matters less than the words
        if contains(.italic) { s += ANSI.escape + "3m" }  // ANSI has no italic constant; SGR 3
        if contains(.code) { s += ANSI.foreground(173) }
        return s
    }
}

struct ProseSegment: Equatable, Sendable {
    var text: String
    var style: ProseStyle
}

/// A unit the wrapper places: a word (never split unless wider than the line), or a forced break.
enum ProseToken: Equatable, Sendable {
    case word([ProseSegment], width: Int)
    case hardBreak
}

enum ProseInline {
    /// Markdown inline text → tokens ready for `wrap`. `color` decides how code spans are marked:
    /// by colour, or by keeping their backticks so they stay recognisable in plain text.
    static func tokens(_ text: String, base: ProseStyle = [], color: Bool) -> [ProseToken] {
        let parser = ProseInlineParser(Array(text), color: color)
        var segments: [ProseSegment] = []
        parser.parse(0, parser.chars.count, style: base, depth: 0, into: &segments)
        return words(segments)
    }

    /// A code span up to this many columns is one word: `dys.T @ Hs` is read as one expression and
    /// must not be broken at its spaces. A longer one breaks at its spaces like text.
    static let unbrokenCode = 24

    /// Splits styled text at whitespace; a segment "\n" is a hard line break. A space inside a
    /// short code span does not split it (see `unbrokenCode`).
    static func words(_ segments: [ProseSegment]) -> [ProseToken] {
        var tokens: [ProseToken] = []
        var current: [ProseSegment] = []
        var width = 0
        func finish() {
            if !current.isEmpty { tokens.append(.word(current, width: width)) }
            current = []
            width = 0
        }
        for segment in segments {
            if segment.text == "\n" { finish(); tokens.append(.hardBreak); continue }
            let keepSpaces = segment.style.contains(.code) && !segment.text.contains("\n")
                && DisplayWidth.columns(segment.text) <= unbrokenCode
            for ch in segment.text {
                if (ch == " " && !keepSpaces) || ch == "\t" || ch == "\n" { finish(); continue }
                if let last = current.last, last.style == segment.style {
                    current[current.count - 1].text.append(ch)
                } else {
                    current.append(ProseSegment(text: String(ch), style: segment.style))
                }
                width += DisplayWidth.columns(ch)
            }
        }
        finish()
        return tokens
    }

    /// Greedy word wrap into lines of at most `width` columns. A word wider than the line starts
    /// a line of its own and is cut at character boundaries, the only place a word is ever cut.
    static func wrap(_ tokens: [ProseToken], width: Int) -> [[ProseSegment]] {
        let width = max(1, width)
        var lines: [[ProseSegment]] = []
        var line: [ProseSegment] = []
        var used = 0
        func newLine() { lines.append(line); line = []; used = 0 }
        for token in tokens {
            guard case .word(let segments, let w) = token else { newLine(); continue }
            if used > 0 && used + 1 + w <= width {
                line.append(ProseSegment(text: " ", style: []))
                line += segments
                used += 1 + w
                continue
            }
            if used > 0 { newLine() }
            if w <= width { line = segments; used = w; continue }
            for segment in segments {
                var piece = ""
                var pieceWidth = 0
                for ch in segment.text {
                    let cw = DisplayWidth.columns(ch)
                    if used + pieceWidth + cw > width && (used > 0 || !piece.isEmpty) {
                        if !piece.isEmpty { line.append(ProseSegment(text: piece, style: segment.style)) }
                        piece = ""
                        pieceWidth = 0
                        newLine()
                    }
                    piece.append(ch)
                    pieceWidth += cw
                }
                if !piece.isEmpty {
                    line.append(ProseSegment(text: piece, style: segment.style))
                    used += pieceWidth
                }
            }
        }
        if !line.isEmpty || lines.isEmpty { lines.append(line) }
        return lines
    }

    /// One wrapped line as terminal text. Each styled run is closed where it ends, so no style
    /// survives a line end, whatever the wrapper did to the runs.
    static func render(_ line: [ProseSegment], color: Bool) -> String {
        var out = ""
        var pending: ProseSegment?
        func flush() {
            guard let p = pending else { return }
            out += ANSI.style(p.text, p.style.escapes, enabled: color && !p.style.isEmpty)
        }
        var line = line
        // A space between two runs of one style joins them: one escape pair per phrase, not per word.
        for k in line.indices.dropFirst().dropLast()
        where line[k].text == " " && line[k].style.isEmpty && line[k - 1].style == line[k + 1].style {
            line[k].style = line[k - 1].style
        }
        for segment in line {
            if pending?.style == segment.style { pending?.text += segment.text; continue }
            flush()
            pending = segment
        }
        flush()
        return out
    }

    /// Columns of a wrapped line.
    static func width(_ line: [ProseSegment]) -> Int { line.reduce(0) { $0 + DisplayWidth.columns($1.text) } }
}

/// A recursive-descent reading of CommonMark's inline rules, simplified: delimiters must pair
/// with a run of the same length, `_` never opens or closes inside a word (so `W_y` stays as
/// written), and anything unmatched is literal text. Searches that fail are remembered so that
/// input full of unmatched delimiters stays linear rather than quadratic.
final class ProseInlineParser {
    let chars: [Character]
    let color: Bool
    private var failed: [String: Int] = [:]
    private static let maxDepth = 12

    init(_ chars: [Character], color: Bool) {
        self.chars = chars
        self.color = color
    }

    func parse(_ lo: Int, _ hi: Int, style: ProseStyle, depth: Int, into out: inout [ProseSegment]) {
        var buffer = ""
        func flush() {
            if !buffer.isEmpty { out.append(ProseSegment(text: buffer, style: style)) }
            buffer = ""
        }
        var i = lo
        while i < hi {
            let c = chars[i]
            switch c {
            case "\\" where i + 1 < hi:
                let next = chars[i + 1]
                if next == "\n" {
                    flush(); out.append(ProseSegment(text: "\n", style: style)); i += 2
                } else if next.isASCII && next.isPunctuation || next.isASCII && next.isSymbol {
                    buffer.append(next); i += 2
                } else {
                    buffer.append(c); i += 1
                }
            case "\n":
                if buffer.hasSuffix("  ") {
                    while buffer.hasSuffix(" ") { buffer.removeLast() }
                    flush(); out.append(ProseSegment(text: "\n", style: style))
                } else {
                    buffer.append(" ")
                }
                i += 1
            case "`":
                let run = runLength(i, hi)
                guard let close = backtickClose(from: i + run, hi, run: run) else {
                    buffer += String(repeating: "`", count: run); i += run; continue
                }
                flush()
                var content = String(chars[(i + run)..<close]).map { $0 == "\n" ? " " : $0 }
                if content.count >= 2, content.first == " ", content.last == " ", content.contains(where: { $0 != " " }) {
                    content.removeFirst(); content.removeLast()
                }
                let code = String(content)
                if color {
                    out.append(ProseSegment(text: code, style: style.union(.code)))
                } else {
                    let fence = code.contains("`") ? "`` " : "`"
                    let closeFence = code.contains("`") ? " ``" : "`"
                    out.append(ProseSegment(text: fence + code + closeFence, style: style.union(.code)))
                }
                i = close + run
            case "$":
                guard let math = mathClose(i, hi) else { buffer.append(c); i += 1; continue }
                let inner = math.display ? String(chars[(i + 2)..<(math.end - 1)]) : String(chars[(i + 1)..<math.end])
                buffer += ProseMath.unicode(inner)
                i = math.end + 1
            case "[", "!":
                if c == "!" && !(i + 1 < hi && chars[i + 1] == "[") { buffer.append(c); i += 1; continue }
                let open = c == "!" ? i + 1 : i
                guard depth < Self.maxDepth, let found = link(open, hi) else { buffer.append(c); i += 1; continue }
                let (textEnd, url, end) = found
                flush()
                let before = out.count
                parse(open + 1, textEnd, style: style, depth: depth + 1, into: &out)
                let text = out[before...].map(\.text).joined()
                if !url.isEmpty && text != url {
                    out.append(ProseSegment(text: " (", style: style))
                    out.append(ProseSegment(text: url, style: style.union(.url)))
                    out.append(ProseSegment(text: ")", style: style))
                } else if text.isEmpty {
                    out.append(ProseSegment(text: url, style: style.union(.url)))
                }
                i = end
            case "<":
                guard let found = autolink(i, hi) else { buffer.append(c); i += 1; continue }
                let (url, end) = found
                flush()
                out.append(ProseSegment(text: url, style: style.union(.url)))
                i = end
            case "*", "_":
                let run = runLength(i, hi)
                guard depth < Self.maxDepth, let found = emphasis(i, run: run, hi) else {
                    buffer += String(repeating: String(c), count: run); i += run; continue
                }
                let (n, close) = found
                flush()
                let added: ProseStyle = n == 1 ? .italic : n == 2 ? .bold : [.bold, .italic]
                parse(i + n, close, style: style.union(added), depth: depth + 1, into: &out)
                i = close + n
            default:
                buffer.append(c == "\t" ? " " : c); i += 1
            }
        }
        flush()
    }

    /// Length of the run of `chars[i]` starting at `i`.
    private func runLength(_ i: Int, _ hi: Int) -> Int {
        var j = i
        while j < hi && chars[j] == chars[i] { j += 1 }
        return j - i
    }

    /// Where a code span opened by `run` backticks closes: the next run of exactly that length.
    private func backtickClose(from start: Int, _ hi: Int, run: Int) -> Int? {
        let key = "`\(run):\(hi)"
        if let f = failed[key], f <= start { return nil }
        var j = start
        while j < hi {
            if chars[j] == "`" {
                let r = runLength(j, hi)
                if r == run { return j }
                j += r
            } else {
                j += 1
            }
        }
        failed[key] = min(failed[key] ?? start, start)
        return nil
    }

    /// The closing `$` of inline maths (or the second `$` of `$$…$$`). Like pandoc: the opener is
    /// followed by a non-space and the closer preceded by one and not followed by a digit, so
    /// prices such as "$5 and $6" stay text.
    private func mathClose(_ i: Int, _ hi: Int) -> (end: Int, display: Bool)? {
        let display = i + 1 < hi && chars[i + 1] == "$"
        let start = display ? i + 2 : i + 1
        guard start < hi, !chars[start].isWhitespace, chars[start] != "$" else { return nil }
        let key = "$\(display):\(hi)"
        if let f = failed[key], f <= start { return nil }
        var j = start + 1
        while j < hi {
            if chars[j] == "\\" { j += 2; continue }
            if chars[j] == "$" && !chars[j - 1].isWhitespace {
                if display {
                    if j + 1 < hi && chars[j + 1] == "$" { return (j + 1, true) }
                } else if !(j + 1 < hi && chars[j + 1].isNumber) {
                    return (j, false)
                }
            }
            j += 1
        }
        failed[key] = min(failed[key] ?? start, start)
        return nil
    }

    /// Matching `]` for each `[` and `)` for each `(`, found once for the whole text with a stack
    /// (escapes and code spans skipped), so that a page of unmatched brackets stays linear.
    private lazy var matches: [Int: Int] = {
        var result: [Int: Int] = [:]
        var brackets: [Int] = []
        var parens: [Int] = []
        var j = 0
        let n = chars.count
        while j < n {
            switch chars[j] {
            case "\\": j += 1
            case "`":
                let r = runLength(j, n)
                if let close = backtickClose(from: j + r, n, run: r) { j = close + r - 1 } else { j += r - 1 }
            case "[": brackets.append(j)
            case "]": if let open = brackets.popLast() { result[open] = j }
            case "(": parens.append(j)
            case ")": if let open = parens.popLast() { result[open] = j }
            default: break
            }
            j += 1
        }
        return result
    }()

    /// `[text](url)` starting at the `[`: the end of the text, the url (title dropped), and the
    /// index after `)`.
    private func link(_ open: Int, _ hi: Int) -> (textEnd: Int, url: String, end: Int)? {
        guard let te = matches[open], te + 1 < hi, chars[te + 1] == "(",
              let k = matches[te + 1], k < hi else { return nil }
        var url = String(chars[(te + 2)..<k]).proseTrimmed()
        if let space = url.firstIndex(where: { $0 == " " || $0 == "\n" }) { url = String(url[..<space]) }
        if url.hasPrefix("<") && url.hasSuffix(">") && url.count >= 2 { url = String(url.dropFirst().dropLast()) }
        return (te, url, k + 1)
    }

    /// `<https://…>` or `<mailto:…>`: the address and the index after `>`.
    private func autolink(_ i: Int, _ hi: Int) -> (String, Int)? {
        var j = i + 1
        while j < hi && j < i + 2000 {
            let c = chars[j]
            if c == ">" { break }
            if c == " " || c == "\n" || c == "<" { return nil }
            j += 1
        }
        guard j < hi, chars[j] == ">" else { return nil }
        let url = String(chars[(i + 1)..<j])
        guard url.hasPrefix("http://") || url.hasPrefix("https://") || url.hasPrefix("mailto:") else { return nil }
        return (url, j + 1)
    }

    /// The delimiter count used and the closer's index for a run of `*`/`_` at `i`, or nil when it
    /// opens nothing. A triple run tries bold-italic, then an outer italic (so `***a** b*` nests).
    private func emphasis(_ i: Int, run: Int, _ hi: Int) -> (Int, Int)? {
        let d = chars[i]
        let after = i + run
        guard after < hi, !chars[after].isWhitespace else { return nil }
        if d == "_", i > 0, chars[i - 1].isLetter || chars[i - 1].isNumber { return nil }
        let tries: [Int] = run >= 3 ? [3, 1, 2] : run == 2 ? [2, 1] : [1]
        for n in tries {
            let start = i + n
            if let close = closer(d, n: n, from: start, hi), close > start { return (n, close) }
        }
        return nil
    }

    private func closer(_ d: Character, n: Int, from start: Int, _ hi: Int) -> Int? {
        let key = "\(d)\(n):\(hi)"
        if let f = failed[key], f <= start { return nil }
        var j = start
        while j < hi {
            let c = chars[j]
            if c == "\\" { j += 2; continue }
            if c == "`" {
                let r = runLength(j, hi)
                j = (backtickClose(from: j + r, hi, run: r).map { $0 + r }) ?? (j + r)
                continue
            }
            if c == "$", let math = mathClose(j, hi) { j = math.end + 1; continue }
            if c == d {
                let r = runLength(j, hi)
                let rightFlanking = j > start && !chars[j - 1].isWhitespace
                let wordFollows = j + r < hi && (chars[j + r].isLetter || chars[j + r].isNumber)
                if r == n && rightFlanking && !(d == "_" && wordFollows) { return j }
                j += r
                continue
            }
            j += 1
        }
        failed[key] = min(failed[key] ?? start, start)
        return nil
    }
}

/// A little LaTeX, enough for the maths lessons write inline: `h_{t-1}`, `x^2`, `\sigma`, `\odot`.
/// Sub- and superscripts become Unicode only when every character has a Unicode form; otherwise
/// the source is kept, because `W_y` is clearer than a half-converted `W_y`-lookalike.
enum ProseMath {
    static func unicode(_ source: String) -> String { convert(Array(source), depth: 0) }

    private static func convert(_ s: [Character], depth: Int) -> String {
        guard depth < 12 else { return String(s) }  // bounded recursion whatever the input nests
        var out = ""
        var i = 0
        while i < s.count {
            let c = s[i]
            if c == "\\" {
                i += 1
                guard i < s.count else { out.append("\\"); break }
                if !s[i].isLetter {
                    out += escapedSymbols[s[i]] ?? String(s[i])
                    i += 1
                    continue
                }
                var name = ""
                while i < s.count && s[i].isLetter { name.append(s[i]); i += 1 }
                if ["mathbf", "mathrm", "mathit", "text", "textrm", "operatorname", "boldsymbol", "mathcal", "mathbb"].contains(name) {
                    let (arg, next) = group(s, i)
                    out += convert(arg, depth: depth + 1); i = next
                } else if name == "frac" {
                    let (a, n1) = group(s, i)
                    let (b, n2) = group(s, n1)
                    out += parenthesised(convert(a, depth: depth + 1)) + "/" + parenthesised(convert(b, depth: depth + 1))
                    i = n2
                } else if name == "sqrt" {
                    let (a, next) = group(s, i)
                    out += "√" + parenthesised(convert(a, depth: depth + 1)); i = next
                } else if name == "left" || name == "right" {
                    continue
                } else {
                    out += commands[name] ?? ("\\" + name)
                }
            } else if (c == "_" || c == "^") && i + 1 < s.count && depth < 8 {
                let start = i + 1
                let raw: [Character]
                let inner: String
                let next: Int
                if s[start] == "{" || s[start] == "\\" {
                    let (arg, n) = s[start] == "{" ? group(s, start) : command(s, start)
                    raw = Array(s[start..<n]); inner = convert(arg, depth: depth + 1); next = n
                } else {
                    raw = [s[start]]; inner = String(s[start]); next = start + 1
                }
                let table = c == "_" ? subscripts : superscripts
                let mapped = inner.map { table[$0] }
                if !inner.isEmpty, mapped.allSatisfy({ $0 != nil }) {
                    out += String(mapped.compactMap { $0 })
                } else {
                    out.append(c)
                    out += raw.first == "{" ? "{" + inner + "}" : inner.isEmpty ? String(raw) : inner
                }
                i = next
            } else if c == "{" || c == "}" {
                i += 1  // grouping braces are invisible in typeset maths
            } else {
                out.append(c); i += 1
            }
        }
        return out
    }

    /// A `{…}` group (or a single character) at `i`: its content and the index after it.
    private static func group(_ s: [Character], _ i: Int) -> ([Character], Int) {
        var i = i
        while i < s.count && s[i] == " " { i += 1 }
        guard i < s.count else { return ([], i) }
        guard s[i] == "{" else { return s[i] == "\\" ? command(s, i) : ([s[i]], i + 1) }
        var depth = 0
        var j = i
        while j < s.count {
            if s[j] == "{" { depth += 1 }
            if s[j] == "}" { depth -= 1; if depth == 0 { return (Array(s[(i + 1)..<j]), j + 1) } }
            j += 1
        }
        return (Array(s[(i + 1)...]), s.count)
    }

    /// A `\name` at `i`, as an argument: the command itself and the index after it.
    private static func command(_ s: [Character], _ i: Int) -> ([Character], Int) {
        var j = i + 1
        if j < s.count && !s[j].isLetter { return (Array(s[i...j]), j + 1) }
        while j < s.count && s[j].isLetter { j += 1 }
        return (Array(s[i..<j]), j)
    }

    private static func parenthesised(_ s: String) -> String {
        s.count <= 1 || s.allSatisfy({ $0.isLetter || $0.isNumber }) ? s : "(" + s + ")"
    }

    private static let escapedSymbols: [Character: String] = [
        "|": "‖", ",": " ", ";": " ", ":": " ", "!": "", " ": " ", "{": "{", "}": "}",
        "_": "_", "%": "%", "$": "$", "#": "#", "&": "&", "\\": " ",
    ]

    static let commands: [String: String] = [
        "sigma": "σ", "odot": "⊙", "cdot": "·", "partial": "∂", "tanh": "tanh", "sum": "Σ", "prod": "Π",
        "to": "→", "approx": "≈", "le": "≤", "leq": "≤", "ge": "≥", "geq": "≥", "times": "×",
        "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "varepsilon": "ε",
        "zeta": "ζ", "eta": "η", "theta": "θ", "iota": "ι", "kappa": "κ", "lambda": "λ", "mu": "μ",
        "nu": "ν", "xi": "ξ", "pi": "π", "rho": "ρ", "tau": "τ", "phi": "φ", "varphi": "φ", "chi": "χ",
        "psi": "ψ", "omega": "ω", "Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ",
        "Pi": "Π", "Sigma": "Σ", "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω",
        "nabla": "∇", "infty": "∞", "in": "∈", "notin": "∉", "neq": "≠", "ne": "≠", "pm": "±", "mp": "∓",
        "cdots": "⋯", "ldots": "…", "dots": "…", "leftarrow": "←", "gets": "←", "rightarrow": "→",
        "Rightarrow": "⇒", "Leftrightarrow": "⇔", "mapsto": "↦", "top": "⊤", "circ": "∘",
        "otimes": "⊗", "oplus": "⊕", "equiv": "≡", "propto": "∝", "forall": "∀", "exists": "∃",
        "mid": "|", "ell": "ℓ", "prime": "′", "div": "÷", "sim": "∼", "ll": "≪", "gg": "≫",
        "exp": "exp", "log": "log", "ln": "ln", "max": "max", "min": "min", "sin": "sin", "cos": "cos",
        "det": "det", "argmax": "argmax", "argmin": "argmin", "quad": "  ", "qquad": "    ",
        "lVert": "‖", "rVert": "‖", "Vert": "‖", "lvert": "|", "rvert": "|", "langle": "⟨", "rangle": "⟩",
    ]

    static let subscripts: [Character: Character] = [
        "0": "₀", "1": "₁", "2": "₂", "3": "₃", "4": "₄", "5": "₅", "6": "₆", "7": "₇", "8": "₈", "9": "₉",
        "+": "₊", "-": "₋", "−": "₋", "=": "₌", "(": "₍", ")": "₎",
        "a": "ₐ", "e": "ₑ", "h": "ₕ", "i": "ᵢ", "j": "ⱼ", "k": "ₖ", "l": "ₗ", "m": "ₘ", "n": "ₙ",
        "o": "ₒ", "p": "ₚ", "r": "ᵣ", "s": "ₛ", "t": "ₜ", "u": "ᵤ", "v": "ᵥ", "x": "ₓ",
        "β": "ᵦ", "γ": "ᵧ", "ρ": "ᵨ", "φ": "ᵩ", "χ": "ᵪ",
    ]

    static let superscripts: [Character: Character] = [
        "0": "⁰", "1": "¹", "2": "²", "3": "³", "4": "⁴", "5": "⁵", "6": "⁶", "7": "⁷", "8": "⁸", "9": "⁹",
        "+": "⁺", "-": "⁻", "−": "⁻", "=": "⁼", "(": "⁽", ")": "⁾",
        "a": "ᵃ", "b": "ᵇ", "c": "ᶜ", "d": "ᵈ", "e": "ᵉ", "f": "ᶠ", "g": "ᵍ", "h": "ʰ", "i": "ⁱ",
        "j": "ʲ", "k": "ᵏ", "l": "ˡ", "m": "ᵐ", "n": "ⁿ", "o": "ᵒ", "p": "ᵖ", "r": "ʳ", "s": "ˢ",
        "t": "ᵗ", "u": "ᵘ", "v": "ᵛ", "w": "ʷ", "x": "ˣ", "y": "ʸ", "z": "ᶻ",
        "A": "ᴬ", "B": "ᴮ", "D": "ᴰ", "E": "ᴱ", "G": "ᴳ", "H": "ᴴ", "I": "ᴵ", "J": "ᴶ", "K": "ᴷ",
        "L": "ᴸ", "M": "ᴹ", "N": "ᴺ", "O": "ᴼ", "P": "ᴾ", "R": "ᴿ", "T": "ᵀ", "U": "ᵁ", "W": "ᵂ",
        "⊤": "ᵀ",
    ]
}
