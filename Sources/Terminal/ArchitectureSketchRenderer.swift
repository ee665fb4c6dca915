import Figures

/// `diagram(m)` of a sequence model: the network unrolled over a few steps, in the manner of the
/// textbook pictures of many-to-one, many-to-many, one-to-many and encoder–decoder networks —
/// x₁ x₂ … x_T along the bottom, one box per step for each layer with the state passed along by
/// arrows, the head and the outputs at the steps where this architecture answers.
///
/// The boxes of a row are one cell with the same weights; they only show *when* it runs. A
/// bidirectional box has two rows of arrows: the upper row carries the forward state left to
/// right, the lower the backward state right to left, and what leaves the box upwards is both
/// side by side. Stacked layers are rows of boxes, layer 0 at the bottom.
///
/// Wires are drawn honestly: a classifier's head reads the last step's box (or, for a
/// bidirectional layer, the forward state from the right end and the backward state from the left
/// end, each on its own wire); a bare layer's final states leave at the ends of their rows,
/// labelled with their row of h (L·D, B, H); an encoder's final state runs into the decoder.
///
/// The number of steps drawn adapts to the terminal (four, then three, then two, with `…` before
/// the last); when even two do not fit, one line says how many columns are needed.
public enum ArchitectureSketchRenderer {
    static let forwardPaint = SketchCanvas.Paint.color(LinePlot.colors[0])
    static let backwardPaint = SketchCanvas.Paint.color(LinePlot.colors[1])
    static let headPaint = SketchCanvas.Paint.color(LinePlot.colors[2])
    static let embedPaint = SketchCanvas.Paint.color(LinePlot.colors[3])

    /// Columns from one box's left edge to the next: a 6-wide box and a 6-wide arrow.
    static let pitch = 12
    static let boxWidth = 6

    public static func render(_ figure: Figure, options: RenderOptions = RenderOptions()) -> String {
        var lines: [String] = []
        if let title = figure.title { lines.append(ANSI.style(text(title, options), ANSI.bold, enabled: options.color)) }
        guard let sketch = figure.sketch, sketch.validationError == nil else {
            lines.append("(no model)")
            return lines.joined(separator: "\n")
        }
        lines += body(sketch, options)
        return lines.joined(separator: "\n")
    }

    /// The drawing and its caption, without a title: also what a stacked or bidirectional cell
    /// diagram draws under the cell.
    static func body(_ sketch: ArchitectureSketch, _ options: RenderOptions) -> [String] {
        let tries: [(Int, Int)] = sketch.architecture == .encoderDecoder ? [(3, 3), (2, 3), (2, 2)] : [(4, 0), (3, 0), (2, 0)]
        var narrowest = Int.max
        for (steps, decoderSteps) in tries {
            let canvas = draw(sketch, steps: steps, decoderSteps: decoderSteps, options)
            narrowest = min(narrowest, canvas.usedWidth)
            guard canvas.usedWidth <= options.width else { continue }
            var lines = canvas.lines(color: options.color)
            for sentence in sketch.caption {
                for line in WordWrap.wrap(text(sentence, options), width: options.width).split(separator: "\n", omittingEmptySubsequences: false) {
                    lines.append(ANSI.style(String(line), ANSI.dim, enabled: options.color))
                }
            }
            return lines
        }
        return ["(needs \(narrowest) columns, has \(options.width))"]
    }

    /// The unrolled stack under a cell diagram of a layer with `layers` > 1 or `bidirectional`;
    /// nothing for a single one-way layer, whose cell diagram is the whole story.
    public static func stack(under cell: CellDiagram, options: RenderOptions) -> [String] {
        guard cell.layers > 1 || cell.bidirectional else { return [] }
        let sketch = ArchitectureSketch(architecture: .layer, model: cell.cell.rawValue,
                                        rnn: .init(cell: cell.cell, inputSize: cell.inputSize, hiddenSize: cell.hiddenSize,
                                                   layers: cell.layers, bidirectional: cell.bidirectional))
        return [ANSI.style(text(sketch.defaultTitle + ":", options), ANSI.bold, enabled: options.color)] + body(sketch, options)
    }

    // MARK: labels

    static let subscripts: [Character: Character] = ["0": "₀", "1": "₁", "2": "₂", "3": "₃", "4": "₄", "5": "₅", "6": "₆", "7": "₇", "8": "₈", "9": "₉"]

    /// `x` with step `s` ("1", "2", or "T") as a subscript: x₁, x₂, x_T.
    static func indexed(_ x: String, _ s: String) -> String {
        if s.allSatisfy({ subscripts[$0] != nil }) { return x + String(s.map { subscripts[$0]! }) }
        return x + "_" + s
    }

    /// Text in the terminal's alphabet: with colour off, subscripts, arrows and symbols in ASCII.
    static func text(_ s: String, _ options: RenderOptions) -> String {
        guard !options.color else { return s }
        // "·" is a product here (L·D), not the cell diagram's "no value" dot: spelled before the
        // cell diagram's own alphabet turns it into ".".
        var out = CellDiagramRenderer.text(s.replacingOccurrences(of: "·", with: "*"), options)
        for (plain, sub) in subscripts { out = out.replacingOccurrences(of: String(sub), with: String(plain)) }
        return out.replacingOccurrences(of: "ŷ", with: "y^").replacingOccurrences(of: "→", with: "->")
            .replacingOccurrences(of: "₊", with: "+").replacingOccurrences(of: "—", with: "-")
            .replacingOccurrences(of: "←", with: "<-")
            .replacingOccurrences(of: "–", with: "-").replacingOccurrences(of: "ᵀ", with: "^T")
    }

    static func shape(_ parts: Int...) -> String { "(B, " + parts.map(String.init).joined(separator: ", ") + ")" }

    /// Step names for `n` drawn steps: 1, 2, …, then the last as `last` after an ellipsis.
    static func stepNames(_ n: Int, last: String) -> [String] { (1..<n).map(String.init) + [last] }

    // MARK: drawing

    /// Rows and columns of one strip of boxes: one recurrent layer stack unrolled.
    struct Strip {
        var left: [Int]
        /// Top row of each layer's box, layer 0 (the first) last.
        var top: [Int]
        var recurrence: ArchitectureSketch.Recurrence
        var height: Int { recurrence.bidirectional ? 4 : 3 }
        func center(_ i: Int) -> Int { left[i] + 3 }
        func forwardRow(_ l: Int) -> Int { top[l] + 1 }
        func backwardRow(_ l: Int) -> Int { top[l] + 2 }
        func bottom(_ l: Int) -> Int { top[l] + height - 1 }
        var last: Int { left.count - 1 }
    }

    /// Boxes, the state arrows between them, and the arrows from each layer to the one above.
    static func drawStrip(_ c: inout SketchCanvas, _ s: Strip, _ options: RenderOptions) {
        let name = s.recurrence.cell.rawValue
        for l in 0..<s.recurrence.layers {
            for i in s.left.indices {
                let x = s.left[i]
                c.box(s.top[l], x, width: boxWidth, height: s.height, forwardPaint)
                c.put(name, s.forwardRow(l), x + 1, forwardPaint)
                if s.recurrence.bidirectional { c.put(name, s.backwardRow(l), x + 1, backwardPaint) }
                if l > 0 { arrowUp(&c, s.center(i), from: s.top[l - 1], to: s.bottom(l), forwardPaint) }
            }
            for i in 0..<s.last {
                let (a, b) = (s.left[i], s.left[i + 1])
                let elided = i + 1 == s.last
                c.horizontal(s.forwardRow(l), a + boxWidth - 1, b - 1, forwardPaint)
                c.put("▶", s.forwardRow(l), b - 1, forwardPaint)
                if elided { c.put(text("…", options), s.forwardRow(l), a + 8, forwardPaint) }
                if s.recurrence.bidirectional {
                    c.horizontal(s.backwardRow(l), a + boxWidth, b, backwardPaint)
                    c.put("◀", s.backwardRow(l), a + boxWidth, backwardPaint)
                    if elided { c.put(text("…", options), s.backwardRow(l), a + 9, backwardPaint) }
                }
            }
        }
    }

    /// A wire up `column` from row `from` (below) to the edge at row `to`, its arrowhead just under
    /// the edge.
    static func arrowUp(_ c: inout SketchCanvas, _ column: Int, from: Int, to: Int, _ p: SketchCanvas.Paint) {
        c.vertical(column, to, from, p)
        c.put("▲", to + 1, column, p)
    }

    /// The inputs under layer 0: arrow, optional embedding, arrow, labels. Returns the label row.
    @discardableResult
    static func drawInputs(_ c: inout SketchCanvas, _ s: Strip, labels: [String], embed: Bool, belowBand row: Int, _ options: RenderOptions) -> Int {
        for i in s.left.indices {
            let x = s.center(i)
            arrowUp(&c, x, from: row + 2, to: s.bottom(0), forwardPaint)
            if embed {
                c.center("embed", row + 2, x, embedPaint)
                arrowUp(&c, x, from: row + 4, to: row + 2, embedPaint)
            }
            c.center(text(labels[i], options), embed ? row + 4 : row + 2, x)
        }
        return embed ? row + 4 : row + 2
    }

    /// Per-step head and outputs above the top layer: ŷ over `linear` over each box.
    static func drawStepOutputs(_ c: inout SketchCanvas, _ s: Strip, labels: [String], head: Bool, topRow: Int, _ options: RenderOptions) {
        let l = s.recurrence.layers - 1
        for i in s.left.indices {
            let x = s.center(i)
            if head {
                arrowUp(&c, x, from: s.top[l], to: topRow + 2, forwardPaint)
                c.center("linear", topRow + 2, x, headPaint)
                c.put("▲", topRow + 1, x, headPaint)
            } else {
                arrowUp(&c, x, from: s.top[l], to: topRow, forwardPaint)
            }
            c.center(text(labels[i], options), topRow, x)
        }
    }

    static func rightLabel(_ c: inout SketchCanvas, _ row: Int, _ label: String, at column: Int, _ options: RenderOptions) {
        c.put(text(label, options), row, column, .dim)
    }

    /// The whole picture for `steps` encoder (or only) steps and `decoderSteps` decoder steps.
    static func draw(_ sk: ArchitectureSketch, steps: Int, decoderSteps: Int, _ options: RenderOptions) -> SketchCanvas {
        var c = SketchCanvas(rows: 1, columns: 1)
        let r = sk.rnn
        let L = r.layers, D = r.directions, H = r.hiddenSize
        let decoder = sk.architecture == .encoderDecoder ? sk.decoder : nil
        let bandHeight = r.bidirectional ? 4 : 3
        // Rows above the boxes: labels, arrow, head, arrow (or the readout's wires).
        let headRows: Int
        switch sk.architecture {
        case .layer: headRows = 2
        case .manyToOne, .manyToMany, .nextStep, .encoderDecoder: headRows = 4
        }
        let firstTop = headRows
        var top = [Int](repeating: 0, count: L)
        for l in 0..<L { top[l] = firstTop + (L - 1 - l) * (bandHeight + 1) }
        let belowBand = top[0] + bandHeight - 1

        // Left margin: layer names, and the backward exits of a bare layer or a readout's wire.
        var leftLabels: [Int: String] = [:]
        for l in 0..<L {
            let layerName = L > 1 ? "layer \(l)" : ""
            if r.bidirectional {
                leftLabels[top[l] + 1] = L > 1 ? "\(layerName) fwd" : "fwd"
                leftLabels[top[l] + 2] = L > 1 ? "\(layerName) bwd" : "bwd"
            } else if L > 1 {
                leftLabels[top[l] + 1] = layerName
            }
        }
        let leftWidth = leftLabels.values.map { text($0, options).count }.max().map { $0 + 1 } ?? 0
        let exitLabel: (Int, Int) -> String = { l, d in "h[\(l * D + d)]" }
        var x0 = leftWidth
        switch sk.architecture {
        case .layer: x0 += r.bidirectional ? exitLabel(L - 1, 1).count + 3 : 0
        case .manyToOne, .encoderDecoder: x0 += r.bidirectional ? 3 : 0
        case .manyToMany, .nextStep: break
        }
        for (row, label) in leftLabels { c.put(text(label, options), row, 0, .dim) }

        let names = stepNames(steps, last: sk.architecture == .encoderDecoder ? "S" : "T")
        let strip = Strip(left: (0..<steps).map { x0 + $0 * pitch }, top: top, recurrence: r)
        drawStrip(&c, strip, options)
        let embed = sk.vocabulary != nil
        let xs = names.map { indexed("x", $0) }
        let inputRow = drawInputs(&c, strip, labels: xs, embed: embed, belowBand: belowBand, options)
        let lastBox = strip.left[strip.last]
        var rightEdge = lastBox + boxWidth
        let topL = L - 1

        switch sk.architecture {
        case .layer:
            drawStepOutputs(&c, strip, labels: names.map { indexed("y", $0) }, head: false, topRow: 0, options)
            for l in 0..<L {
                c.horizontal(strip.forwardRow(l), lastBox + boxWidth - 1, lastBox + boxWidth + 2, forwardPaint)
                c.put("▶" + text(exitLabel(l, 0), options), strip.forwardRow(l), lastBox + boxWidth + 2, forwardPaint)
                if r.bidirectional {
                    let first = strip.left[0], label = text(exitLabel(l, 1), options)
                    c.horizontal(strip.backwardRow(l), first - 3, first, backwardPaint)
                    c.put(label + "◀", strip.backwardRow(l), first - 3 - label.count, backwardPaint)
                }
            }
            rightEdge = lastBox + boxWidth + 3 + exitLabel(0, 0).count
            let labelColumn = rightEdge + 2
            rightLabel(&c, 0, shape(D * H), at: labelColumn, options)
            for l in 0..<L { rightLabel(&c, strip.forwardRow(l), shape(H), at: labelColumn, options) }
            rightLabel(&c, inputRow, shape(r.inputSize), at: labelColumn, options)
        case .manyToOne:
            let headColumn = strip.center(strip.last), bus = firstTop - 1
            c.center("linear", 2, headColumn, headPaint)
            c.put("▲", 1, headColumn, headPaint)
            c.center(text("ŷ", options), 0, headColumn)
            if sk.meanReadout {
                for i in strip.left.indices { c.vertical(strip.center(i), bus, top[topL], forwardPaint) }
                c.horizontal(bus, strip.center(0), headColumn, forwardPaint)
                c.vertical(headColumn, 2, bus, forwardPaint)
            } else if r.bidirectional {
                // The forward state after x_T from the right end, the backward one after x₁ from the left.
                let first = strip.left[0], right = lastBox + boxWidth + 1
                c.horizontal(strip.backwardRow(topL), first - 2, first, backwardPaint)
                c.put("◀", strip.backwardRow(topL), first - 1, backwardPaint)
                c.vertical(first - 2, bus, strip.backwardRow(topL), backwardPaint)
                c.horizontal(bus, first - 2, headColumn, backwardPaint)
                c.horizontal(strip.forwardRow(topL), lastBox + boxWidth - 1, right, forwardPaint)
                c.vertical(right, bus, strip.forwardRow(topL), forwardPaint)
                c.horizontal(bus, headColumn, right, forwardPaint)
                c.vertical(headColumn, 2, bus, forwardPaint)
                rightEdge = right + 1
            } else {
                arrowUp(&c, headColumn, from: top[topL], to: 2, forwardPaint)
            }
            let labelColumn = rightEdge + 2
            rightLabel(&c, 0, shape(sk.outputSize ?? 0), at: labelColumn, options)
            for l in 0..<L { rightLabel(&c, strip.forwardRow(l), shape(H), at: labelColumn, options) }
            inputLabels(&c, sk, strip, inputRow: inputRow, at: labelColumn, options)
        case .manyToMany, .nextStep:
            drawStepOutputs(&c, strip, labels: names.map { indexed("ŷ", $0) }, head: true, topRow: 0, options)
            let labelColumn = rightEdge + 2
            rightLabel(&c, 0, shape(sk.outputSize ?? 0), at: labelColumn, options)
            for l in 0..<L { rightLabel(&c, strip.forwardRow(l), shape(H), at: labelColumn, options) }
            inputLabels(&c, sk, strip, inputRow: inputRow, at: labelColumn, options)
        case .encoderDecoder:
            guard let dec = decoder else { break }
            let gap = 7
            let decoderLeft = lastBox + boxWidth + gap
            let dStrip = Strip(left: (0..<decoderSteps).map { decoderLeft + $0 * pitch }, top: top, recurrence: dec)
            drawStrip(&c, dStrip, options)
            let dNames = stepNames(decoderSteps, last: "T")
            // Step k reads y_(k−1), the start token first.
            let dInputs = dNames.enumerated().map { k, name in k == 0 ? "start" : name == "T" ? "y_T-1" : indexed("y", String(k)) }
            drawInputs(&c, dStrip, labels: dInputs, embed: true, belowBand: belowBand, options)
            drawStepOutputs(&c, dStrip, labels: dNames.map { indexed("ŷ", $0) }, head: true, topRow: 0, options)
            // The bridge: each encoder layer's final state is the same decoder layer's h₀.
            let junction = lastBox + boxWidth + 2
            for l in 0..<L {
                c.horizontal(strip.forwardRow(l), lastBox + boxWidth - 1, decoderLeft - 1, forwardPaint)
                c.put("▶", strip.forwardRow(l), decoderLeft - 1, forwardPaint)
            }
            c.put(text(r.bidirectional ? "h₀" : "h_S", options), top[topL], lastBox + boxWidth + 2, .dim)
            if r.bidirectional {
                let first = strip.left[0]
                if L == 1 {
                    // The backward state after reading back to x₁ leaves at the left end and joins
                    // the forward one under the source.
                    let bus = inputRow + 1
                    c.horizontal(strip.backwardRow(0), first - 2, first, backwardPaint)
                    c.put("◀", strip.backwardRow(0), first - 1, backwardPaint)
                    c.vertical(first - 2, strip.backwardRow(0), bus, backwardPaint)
                    c.horizontal(bus, first - 2, junction, backwardPaint)
                    c.vertical(junction, strip.forwardRow(0), bus, backwardPaint)
                } else {
                    for l in 0..<L {
                        c.horizontal(strip.backwardRow(l), first - 3, first, backwardPaint)
                        c.put("◀", strip.backwardRow(l), first - 3, backwardPaint)
                    }
                }
            }
            let labelColumn = dStrip.left[dStrip.last] + boxWidth + 2
            rightLabel(&c, 0, shape(sk.outputSize ?? 0), at: labelColumn, options)
            for l in 0..<L { rightLabel(&c, dStrip.forwardRow(l), shape(dec.hiddenSize), at: labelColumn, options) }
            rightLabel(&c, inputRow - 2, shape(dec.inputSize), at: labelColumn, options)
            rightLabel(&c, inputRow, "vocab \(sk.outputSize ?? 0)", at: labelColumn, options)
        }
        return c
    }

    /// Right of the inputs: their shape, or the embedding's width and the vocabulary of the ids.
    static func inputLabels(_ c: inout SketchCanvas, _ sk: ArchitectureSketch, _ s: Strip, inputRow: Int, at column: Int, _ options: RenderOptions) {
        if let v = sk.vocabulary {
            rightLabel(&c, inputRow - 2, shape(s.recurrence.inputSize), at: column, options)
            rightLabel(&c, inputRow, "vocab \(v)", at: column, options)
        } else {
            rightLabel(&c, inputRow, shape(s.recurrence.inputSize), at: column, options)
        }
    }

    // MARK: caption

}
