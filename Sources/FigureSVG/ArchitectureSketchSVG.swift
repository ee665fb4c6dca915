import Figures

/// `diagram(m)` of a sequence model as SVG: the network unrolled over a few steps, as the terminal
/// draws it — x₁ x₂ … x_T along the bottom (through an embedding for token ids), one box per step
/// for each layer with the state passed along by arrows, the head and the outputs at the steps
/// where this architecture answers, the model's sizes on the right and the caption underneath.
///
/// The boxes of a row are one cell with the same weights; they only show *when* it runs. Stacked
/// layers are rows of boxes, layer 0 at the bottom. A bidirectional box has two rows of arrows: the
/// upper carries the forward state left to right, the lower the backward state right to left.
/// Wires are drawn honestly: a classifier's head reads the last box (or, for a bidirectional
/// layer, the forward state from the right end and the backward state from the left end, each on
/// its own wire; or the mean of every step's output on a bus); a bare layer's final states leave
/// at the ends of their rows, labelled with their row of h (L·D, B, H); an encoder's final state
/// runs into the decoder as its h₀.
///
/// Four steps (three and three for an encoder–decoder), the last after a `…`: the terminal's
/// widest drawing, since a page has room for it. Arrowheads are small polygons (no markers, which
/// would need ids).
enum ArchitectureSketchSVG {
    static let box = (width: 56.0, height: 30.0, bidirectional: 46.0)
    /// Left edge to left edge of neighbouring steps.
    static let pitch = 100.0
    /// The `linear` and `embed` boxes.
    static let small = (width: 52.0, height: 20.0)
    static let forward = Palette.series[0], backward = Palette.series[1], head = Palette.series[2], embed = Palette.series[3]

    static func render(_ figure: Figure) -> String {
        guard let sk = figure.sketch, sk.validationError == nil else { return FigureFrame.empty(figure.title, "(no model)") }
        let margin = FigureFrame.margin
        let r = sk.rnn
        let decoder = sk.architecture == .encoderDecoder ? sk.decoder : nil
        let L = max(1, r.layers), D = r.directions, H = r.hiddenSize
        let layers = max(L, max(1, decoder?.layers ?? 1))
        let band = r.bidirectional ? box.bidirectional : box.height
        let embedded = sk.vocabulary != nil || decoder != nil

        // Rows, top to bottom: outputs, head, (readout bus), the layers, embedding, inputs.
        let top = margin + (figure.title == nil ? 0 : Typography.title + 10)
        let outY = top + Typography.body
        let hasHead = sk.architecture != .layer
        let headTop = outY + 20
        let busY = headTop + small.height + 14
        let firstTop = hasHead ? headTop + small.height + 30 : outY + 26
        let layerTop = (0..<layers).map { l in firstTop + Double(layers - 1 - l) * (band + 28) }
        let bottom0 = layerTop[0] + band
        let embedTop = bottom0 + 22
        let inY = (embedded ? embedTop + small.height : bottom0) + 22 + Typography.body
        let sourceBusY = inY + 10

        // Columns: layer names, then room for wires leaving the left end.
        var leftLabels: [(y: Double, text: String)] = []
        for l in 0..<L {
            let name = L > 1 ? "layer \(l)" : ""
            if r.bidirectional {
                leftLabels.append((forwardY(layerTop[l]), L > 1 ? "\(name) fwd" : "fwd"))
                leftLabels.append((backwardY(layerTop[l]), L > 1 ? "\(name) bwd" : "bwd"))
            } else if L > 1 {
                leftLabels.append((forwardY(layerTop[l]), name))
            }
        }
        let leftWidth = leftLabels.map { Typography.width($0.text, size: Typography.small) + 8 }.max() ?? 0
        var x0 = margin + leftWidth
        switch sk.architecture {
        case .layer: x0 += r.bidirectional ? Typography.width("h[\(L * D - 1)]", size: Typography.small) + 30 : 0
        case .manyToOne, .encoderDecoder: x0 += r.bidirectional ? 24 : 0
        case .manyToMany, .nextStep: break
        }

        var s = Sketch(doc: SVGDocument(width: 1, height: 1), layerTop: layerTop, band: band, bottom0: bottom0,
                       embedTop: embedTop, inY: inY, headTop: headTop, outY: outY)
        let steps = decoder == nil ? 4 : 3
        let names = stepNames(steps, last: decoder == nil ? "T" : "S")
        let encoder = Strip(left: (0..<steps).map { x0 + Double($0) * pitch }, recurrence: r)
        s.strip(encoder)
        s.inputs(encoder, labels: names.map { indexed("x", $0) }, embed: sk.vocabulary != nil)
        let lastRight = encoder.left[encoder.last] + box.width
        var rightEdge = lastRight
        var labels: [(y: Double, text: String)] = []
        let topL = L - 1

        switch sk.architecture {
        case .layer:
            s.outputs(encoder, labels: names.map { indexed("y", $0) }, head: false)
            for l in 0..<L {
                let y = forwardY(layerTop[l])
                s.arrow(lastRight, y, lastRight + 22, y, forward)
                s.doc.text("h[\(l * D)]", x: lastRight + 26, y: y + 4, size: Typography.small, fill: forward)
                if r.bidirectional {
                    let first = encoder.left[0], yb = backwardY(layerTop[l])
                    s.arrow(first, yb, first - 22, yb, backward)
                    s.doc.text("h[\(l * D + 1)]", x: first - 26, y: yb + 4, size: Typography.small, anchor: .end, fill: backward)
                }
            }
            rightEdge = lastRight + 26 + Typography.width("h[\(L * D - 1)]", size: Typography.small)
            labels.append((outY - 4, shape(D * H)))
            for l in 0..<L { labels.append((forwardY(layerTop[l]), shape(H))) }
            labels.append((inY - 4, shape(r.inputSize)))
        case .manyToOne:
            let column = encoder.center(encoder.last), topTop = layerTop[topL]
            s.smallBox("linear", column, headTop, head)
            s.arrow(column, headTop, column, outY + 4, head)
            s.doc.text("ŷ", x: column, y: outY, anchor: .middle)
            let headBottom = headTop + small.height
            if sk.meanReadout {
                for i in encoder.left.indices { s.doc.line(x1: encoder.center(i), y1: topTop, x2: encoder.center(i), y2: busY, stroke: forward, width: 1.3) }
                s.doc.line(x1: encoder.center(0), y1: busY, x2: column, y2: busY, stroke: forward, width: 1.3)
                s.doc.text("mean", x: encoder.center(0) + 4, y: busY - 4, size: Typography.small, fill: Palette.muted)
                s.arrow(column, busY, column, headBottom, forward)
            } else if r.bidirectional {
                // The forward state after x_T from the right end, the backward one after x₁ from the left.
                let first = encoder.left[0], xl = first - 16, xr = lastRight + 16
                let yb = backwardY(topTop), yf = forwardY(topTop)
                s.doc.polyline([(first, yb), (xl, yb), (xl, busY), (column, busY)], stroke: backward, width: 1.3)
                s.doc.polyline([(lastRight, yf), (xr, yf), (xr, busY), (column, busY)], stroke: forward, width: 1.3)
                s.arrow(column, busY, column, headBottom, forward)
                rightEdge = xr
            } else {
                s.arrow(column, topTop, column, headBottom, forward)
            }
            labels.append((outY - 4, shape(sk.outputSize ?? 0)))
            for l in 0..<L { labels.append((forwardY(layerTop[l]), shape(H))) }
            labels += inputLabels(sk, s)
        case .manyToMany, .nextStep:
            s.outputs(encoder, labels: names.map { indexed("ŷ", $0) }, head: true)
            labels.append((outY - 4, shape(sk.outputSize ?? 0)))
            for l in 0..<L { labels.append((forwardY(layerTop[l]), shape(H))) }
            labels += inputLabels(sk, s)
        case .encoderDecoder:
            guard let dec = decoder else { break }
            let decoderLeft = lastRight + 80
            let dStrip = Strip(left: (0..<3).map { decoderLeft + Double($0) * pitch }, recurrence: dec)
            s.strip(dStrip)
            let dNames = stepNames(3, last: "T")
            // Step k reads y_(k−1), the start token first.
            let dInputs = dNames.enumerated().map { k, name in k == 0 ? "start" : name == "T" ? "y_T-1" : indexed("y", String(k)) }
            s.inputs(dStrip, labels: dInputs, embed: true)
            s.outputs(dStrip, labels: dNames.map { indexed("ŷ", $0) }, head: true)
            // The bridge: each encoder layer's final state is the same decoder layer's h₀.
            for l in 0..<min(L, max(1, dec.layers)) {
                let y = forwardY(layerTop[l])
                s.arrow(lastRight, y, decoderLeft, y, forward)
            }
            s.doc.text(r.bidirectional ? "h₀" : "h_S", x: lastRight + 24, y: forwardY(layerTop[topL]) - 6, size: Typography.small, fill: Palette.muted)
            if r.bidirectional {
                let first = encoder.left[0]
                if L == 1 {
                    // The backward state after reading back to x₁ leaves at the left end and joins
                    // the forward one under the source.
                    let yb = backwardY(layerTop[0]), junction = lastRight + 16
                    s.doc.polyline([(first, yb), (first - 16, yb), (first - 16, sourceBusY), (junction, sourceBusY), (junction, forwardY(layerTop[0]))],
                                   stroke: backward, width: 1.3)
                    s.doc.circle(cx: junction, cy: forwardY(layerTop[0]), r: 2.5, fill: backward)
                } else {
                    for l in 0..<L {
                        let yb = backwardY(layerTop[l])
                        s.arrow(first, yb, first - 20, yb, backward)
                    }
                }
            }
            rightEdge = dStrip.left[dStrip.last] + box.width
            labels.append((outY - 4, shape(sk.outputSize ?? 0)))
            for l in 0..<max(1, dec.layers) { labels.append((forwardY(layerTop[l]), shape(dec.hiddenSize))) }
            labels.append((embedTop + small.height / 2, shape(dec.inputSize)))
            labels.append((inY - 4, "vocab \(sk.outputSize ?? 0)"))
        }

        for label in leftLabels {
            s.doc.text(label.text, x: margin, y: label.y + 3, size: Typography.small, fill: Palette.muted)
        }
        let labelX = rightEdge + 12
        for label in labels {
            s.doc.text(label.text, x: labelX, y: label.y + 3, size: Typography.small, fill: Palette.muted)
        }
        let drawingRight = labelX + (labels.map { Typography.width($0.text, size: Typography.small) }.max() ?? 0)
        let drawingBottom = (decoder != nil && r.bidirectional && L == 1 ? sourceBusY : inY) + 6
        let lines = sk.caption.flatMap { UnrollSVG.wrap($0, width: max(70, Int((drawingRight - margin) / (Typography.small * 0.6)))) }
        let width = max(drawingRight, margin + (lines.map { Typography.width($0, size: Typography.small) }.max() ?? 0),
                        margin + Typography.width(figure.title ?? "", size: Typography.title)) + margin
        for (k, line) in lines.enumerated() {
            s.doc.text(line, x: margin, y: drawingBottom + 8 + Double(k + 1) * (Typography.small + 5) - 4, size: Typography.small, fill: Palette.muted)
        }
        let height = drawingBottom + 8 + Double(lines.count) * (Typography.small + 5) + margin
        var doc = SVGDocument(width: width, height: height)
        FigureFrame.title(figure.title, in: &doc)
        doc.append(s.doc)
        return doc.render()
    }

    /// The y of a box's forward arrows (its middle, or its upper row when bidirectional) and of
    /// its backward arrows: the same forward row for both kinds, so a bridge between an encoder
    /// and a decoder of different kinds runs straight.
    static func forwardY(_ top: Double) -> Double { top + box.height / 2 }
    static func backwardY(_ top: Double) -> Double { top + 33 }

    /// One row of boxes per layer over these steps.
    struct Strip {
        var left: [Double]
        var recurrence: ArchitectureSketch.Recurrence
        var last: Int { left.count - 1 }
        func center(_ i: Int) -> Double { left[i] + box.width / 2 }
    }

    /// The picture drawn so far, and the rows it is drawn on.
    struct Sketch {
        var doc: SVGDocument
        let layerTop: [Double]
        let band: Double
        let bottom0: Double, embedTop: Double, inY: Double, headTop: Double, outY: Double

        /// A wire from (xa, ya) to (xb, yb) with a drawn arrowhead at the end.
        mutating func arrow(_ xa: Double, _ ya: Double, _ xb: Double, _ yb: Double, _ colour: String) {
            let length = max(1e-9, ((xb - xa) * (xb - xa) + (yb - ya) * (yb - ya)).squareRoot())
            let (ux, uy) = ((xb - xa) / length, (yb - ya) / length)
            doc.line(x1: xa, y1: ya, x2: xb - ux * 6, y2: yb - uy * 6, stroke: colour, width: 1.3)
            doc.polygon([(xb, yb), (xb - ux * 7 - uy * 3.5, yb - uy * 7 + ux * 3.5), (xb - ux * 7 + uy * 3.5, yb - uy * 7 - ux * 3.5)], fill: colour)
        }

        mutating func smallBox(_ name: String, _ cx: Double, _ top: Double, _ colour: String) {
            doc.rect(x: cx - small.width / 2, y: top, width: small.width, height: small.height, fill: "#ffffff", stroke: colour, strokeWidth: 1.3, rx: 3)
            doc.text(name, x: cx, y: top + small.height / 2 + 3.5, size: Typography.small, anchor: .middle, fill: colour)
        }

        /// The boxes, the state arrows between them (a `…` on the last, where steps are left
        /// out), and the arrows from each layer up into the one above.
        mutating func strip(_ s: Strip) {
            let name = s.recurrence.cell.rawValue
            let bidirectional = s.recurrence.bidirectional
            let height = bidirectional ? box.bidirectional : box.height
            for l in 0..<max(1, s.recurrence.layers) {
                let top = layerTop[l]
                for i in s.left.indices {
                    doc.rect(x: s.left[i], y: top, width: box.width, height: height, fill: "#ffffff", stroke: forward, strokeWidth: 1.5, rx: 4)
                    doc.text(name, x: s.center(i), y: forwardY(top) + 4, anchor: .middle, fill: forward, bold: true)
                    if bidirectional { doc.text(name, x: s.center(i), y: backwardY(top) + 4, anchor: .middle, fill: backward, bold: true) }
                    if l > 0 { arrow(s.center(i), layerTop[l - 1], s.center(i), top + height, forward) }
                }
                for i in 0..<s.last {
                    let (a, b) = (s.left[i] + box.width, s.left[i + 1])
                    let elided = i + 1 == s.last
                    arrow(a, forwardY(top), b, forwardY(top), forward)
                    if elided { doc.text("…", x: (a + b) / 2, y: forwardY(top) - 4, anchor: .middle, fill: forward) }
                    if bidirectional {
                        arrow(b, backwardY(top), a, backwardY(top), backward)
                        if elided { doc.text("…", x: (a + b) / 2, y: backwardY(top) + 11, anchor: .middle, fill: backward) }
                    }
                }
            }
        }

        /// The inputs under layer 0: an arrow up from each label, through `embed` for token ids.
        mutating func inputs(_ s: Strip, labels: [String], embed hasEmbed: Bool) {
            for i in s.left.indices {
                let x = s.center(i)
                if hasEmbed {
                    smallBox("embed", x, embedTop, embed)
                    arrow(x, embedTop, x, bottom0, forward)
                    arrow(x, inY - Typography.body - 1, x, embedTop + small.height, embed)
                } else {
                    arrow(x, inY - Typography.body - 1, x, bottom0, forward)
                }
                doc.text(labels[i], x: x, y: inY, anchor: .middle)
            }
        }

        /// An output above every step's top box: through a `linear` head, or the state itself.
        mutating func outputs(_ s: Strip, labels: [String], head hasHead: Bool) {
            let top = layerTop[max(1, s.recurrence.layers) - 1]
            for i in s.left.indices {
                let x = s.center(i)
                if hasHead {
                    arrow(x, top, x, headTop + small.height, forward)
                    smallBox("linear", x, headTop, head)
                    arrow(x, headTop, x, outY + 4, head)
                } else {
                    arrow(x, top, x, outY + 4, forward)
                }
                doc.text(labels[i], x: x, y: outY, anchor: .middle)
            }
        }
    }

    /// Right of the inputs: their shape, or the embedding's width and the vocabulary of the ids.
    static func inputLabels(_ sk: ArchitectureSketch, _ s: Sketch) -> [(y: Double, text: String)] {
        if let v = sk.vocabulary {
            return [(s.embedTop + small.height / 2, shape(sk.rnn.inputSize)), (s.inY - 4, "vocab \(v)")]
        }
        return [(s.inY - 4, shape(sk.rnn.inputSize))]
    }

    // MARK: labels

    static let subscripts: [Character: Character] = ["0": "₀", "1": "₁", "2": "₂", "3": "₃", "4": "₄", "5": "₅", "6": "₆", "7": "₇", "8": "₈", "9": "₉"]

    /// `x` with step `s` ("1", "2", or "T") as a subscript: x₁, x₂, x_T.
    static func indexed(_ x: String, _ s: String) -> String {
        if s.allSatisfy({ subscripts[$0] != nil }) { return x + String(s.map { subscripts[$0]! }) }
        return x + "_" + s
    }

    static func shape(_ parts: Int...) -> String { "(B, " + parts.map(String.init).joined(separator: ", ") + ")" }

    /// Step names for `n` drawn steps: 1, 2, …, then the last as `last`.
    static func stepNames(_ n: Int, last: String) -> [String] { (1..<n).map(String.init) + [last] }

    // MARK: caption

}
