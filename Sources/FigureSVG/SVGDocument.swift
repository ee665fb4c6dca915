/// A standalone SVG document built element by element: the one place that writes markup.
///
/// Why a builder of its own rather than string pasting in each renderer:
/// - **Valid by construction.** Text goes through `escaped` (XML's five special characters, and
///   the control characters XML 1.0 forbids written as visible `\u{1B}`-style escapes), and every
///   coordinate goes through `SVGNumber.format`, which never writes `nan` or `inf` — a non-finite
///   coordinate would make the whole document unreadable, so it is refused here once.
/// - **Deterministic.** Elements are kept in the order they are drawn and attributes are written in
///   a fixed order with a fixed precision, so the same figure always gives the same bytes (goldens
///   can be compared, exports do not churn under version control).
/// - **Scales.** The size is a `viewBox` (plus the same `width`/`height` as a natural size): a
///   notebook or browser can shrink it to its column without losing sharpness.
/// - **No ids.** Several SVGs inlined in one notebook page share one id namespace, so nothing here
///   refers to anything by id (no gradients or markers by reference; a colour bar is a stack of
///   rectangles, an arrow head a small polygon).
/// - **No external fonts**: the generic `sans-serif` family, which every viewer has.
struct SVGDocument {
    let width: Double
    let height: Double
    private(set) var body: [String] = []

    init(width: Double, height: Double) {
        self.width = max(1, width.isFinite ? width : 1)
        self.height = max(1, height.isFinite ? height : 1)
    }

    /// Horizontal anchoring of a text run.
    enum Anchor: String { case start, middle, end }

    // MARK: - Elements

    mutating func rect(x: Double, y: Double, width: Double, height: Double, fill: String,
                       stroke: String? = nil, strokeWidth: Double = 1, rx: Double = 0, tooltip: String? = nil) {
        var attributes = [("x", n(x)), ("y", n(y)), ("width", n(max(0, width))), ("height", n(max(0, height)))]
        if rx > 0 { attributes.append(("rx", n(rx))) }
        attributes.append(("fill", fill))
        if let stroke { attributes += [("stroke", stroke), ("stroke-width", n(strokeWidth))] }
        element("rect", attributes, content: tooltip.map { "<title>" + SVGDocument.escaped($0) + "</title>" })
    }

    mutating func line(x1: Double, y1: Double, x2: Double, y2: Double, stroke: String,
                       width: Double = 1, dash: String? = nil) {
        var attributes = [("x1", n(x1)), ("y1", n(y1)), ("x2", n(x2)), ("y2", n(y2)),
                          ("stroke", stroke), ("stroke-width", n(width))]
        if let dash { attributes.append(("stroke-dasharray", dash)) }
        element("line", attributes)
    }

    /// An open line through `points` (at least two; a single point is drawn as a dot by the caller).
    mutating func polyline(_ points: [(x: Double, y: Double)], stroke: String, width: Double = 1.5, dash: String? = nil) {
        guard points.count >= 2 else { return }
        let list = points.map { n($0.x) + "," + n($0.y) }.joined(separator: " ")
        var attributes = [("points", list), ("fill", "none"), ("stroke", stroke), ("stroke-width", n(width)),
                          ("stroke-linejoin", "round"), ("stroke-linecap", "round")]
        if let dash { attributes.append(("stroke-dasharray", dash)) }
        element("polyline", attributes)
    }

    /// A closed, filled shape (arrow heads, markers).
    mutating func polygon(_ points: [(x: Double, y: Double)], fill: String) {
        guard points.count >= 3 else { return }
        element("polygon", [("points", points.map { n($0.x) + "," + n($0.y) }.joined(separator: " ")), ("fill", fill)])
    }

    mutating func circle(cx: Double, cy: Double, r: Double, fill: String, stroke: String? = nil) {
        var attributes = [("cx", n(cx)), ("cy", n(cy)), ("r", n(max(0, r))), ("fill", fill)]
        if let stroke { attributes.append(("stroke", stroke)) }
        element("circle", attributes)
    }

    /// One line of text at (x, y) — y is the baseline. `rotate` turns it about (x, y) in degrees.
    mutating func text(_ content: String, x: Double, y: Double, size: Double = Typography.body,
                       anchor: Anchor = .start, fill: String = Palette.ink, bold: Bool = false, rotate: Double = 0) {
        var attributes = [("x", n(x)), ("y", n(y)), ("font-size", n(size))]
        if anchor != .start { attributes.append(("text-anchor", anchor.rawValue)) }
        if bold { attributes.append(("font-weight", "bold")) }
        attributes.append(("fill", fill))
        if rotate != 0 { attributes.append(("transform", "rotate(\(n(rotate)) \(n(x)) \(n(y)))")) }
        element("text", attributes, content: SVGDocument.escaped(content))
    }

    /// Elements drawn by `draw`, grouped under `attributes` (`<g …>`): shared presentation such as
    /// `shape-rendering="crispEdges"` for a grid of cells, so adjacent cells meet without the
    /// hairline seams anti-aliasing leaves between them.
    mutating func group(_ attributes: [(String, String)], _ draw: (inout SVGDocument) -> Void) {
        body.append("<g" + attributes.map { " " + $0.0 + "=\"" + SVGDocument.escaped($0.1) + "\"" }.joined() + ">")
        draw(&self)
        body.append("</g>")
    }

    /// The elements of `other` after these: a picture drawn before its size was known (the size
    /// comes from what was drawn), placed into the document that has the size.
    mutating func append(_ other: SVGDocument) {
        body += other.body
    }

    /// The document: XML declaration, `<svg>` with its namespace, size and viewBox, a white
    /// background (so it reads on a dark notebook theme too), the elements, a final newline.
    func render() -> String {
        let w = n(width), h = n(height)
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(w)\" height=\"\(h)\" viewBox=\"0 0 \(w) \(h)\""
        out += " font-family=\"sans-serif\">\n"
        out += "<rect x=\"0\" y=\"0\" width=\"\(w)\" height=\"\(h)\" fill=\"#ffffff\"/>\n"
        for e in body { out += e + "\n" }
        out += "</svg>\n"
        return out
    }

    // MARK: - Writing

    private mutating func element(_ name: String, _ attributes: [(String, String)], content: String? = nil) {
        var s = "<" + name
        for (key, value) in attributes { s += " " + key + "=\"" + SVGDocument.escaped(value) + "\"" }
        if let content { s += ">" + content + "</" + name + ">" } else { s += "/>" }
        body.append(s)
    }

    private func n(_ x: Double) -> String { SVGNumber.format(x) }

    /// `text` safe inside an element or a double-quoted attribute: `& < > " '` as entities, and
    /// characters XML 1.0 does not allow at all (controls other than tab and newline, U+FFFE,
    /// U+FFFF) written out as `\u{…}` so they show instead of making the document unreadable.
    static func escaped(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t", "\n": out.unicodeScalars.append(scalar)
            default:
                let v = scalar.value
                if v < 0x20 || (0x7F...0x9F).contains(v) || v == 0xFFFE || v == 0xFFFF {
                    out += "\\u{" + String(v, radix: 16, uppercase: true) + "}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}

/// Coordinates and sizes as text: at most two decimals, trailing zeros dropped, never `-0`, and
/// never `nan`/`inf` (a non-finite coordinate is a bug upstream; it is drawn at 0 rather than
/// making the document invalid). Two decimals are a hundredth of a pixel: finer than any screen,
/// and short enough that a large heatmap stays small.
enum SVGNumber {
    static func format(_ x: Double) -> String {
        guard x.isFinite else { return "0" }
        let clamped = min(1e9, max(-1e9, x))
        let scaled = (clamped * 100).rounded()
        if scaled == 0 { return "0" }
        let negative = scaled < 0
        let magnitude = Int64(abs(scaled))
        let whole = magnitude / 100, fraction = magnitude % 100
        var s = (negative ? "-" : "") + String(whole)
        if fraction != 0 {
            s += fraction % 10 == 0 ? "." + String(fraction / 10) : (fraction < 10 ? ".0" : ".") + String(fraction)
        }
        return s
    }
}

/// Font sizes and an estimate of text width. Without font metrics (no fonts are embedded, and the
/// viewer picks its own sans-serif), a character is taken as 0.6 of the font size — about the
/// average advance of common sans-serif faces — which is enough to leave room for labels.
enum Typography {
    static let title = 14.0
    static let body = 11.0
    static let small = 9.0

    static func width(_ text: String, size: Double = body) -> Double {
        Double(text.count) * size * 0.6
    }
}

/// The few non-data colours every figure shares.
enum Palette {
    static let ink = "#222222"
    static let axis = "#555555"
    static let grid = "#e6e6e6"
    static let muted = "#777777"
    /// Cells and points with no finite value.
    static let missing = "#d9d9d9"
    /// Series colours: Tableau 10 (matplotlib's `tab10`), distinct and colour-blind-aware.
    static let series = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                         "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"]
    static let bar = "#4c8fd6"
}
