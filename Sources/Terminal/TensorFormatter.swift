import Engine
import Foundation

/// Tensors as text in NumPy's manner: a header with the shape, then the nested brackets of
/// `print(np.array(...))` with the same digits, alignment and line wrapping.
///
/// ```
/// tensor (2, 3)
/// [[ 0.1     -1.5      2.    ]
///  [ 3.1416   0.      -0.0001]]
/// ```
///
/// Why NumPy's layout: the lessons are read next to PyTorch and NumPy, and a learner comparing
/// numbers should find them in the same places. What differs on purpose:
/// - the header line (`tensor (2, 3)`, plus `requires_grad` for parameters) — NumPy's `print`
///   gives no shape, and the shape is the first thing to check when an RNN does not run;
/// - summaries use `…` where NumPy writes `...` (same rule: more than `threshold` elements keep
///   `edgeItems` at each end of every axis);
/// - a rank-0 tensor is printed with the array precision (`0.6931`), where NumPy's `str` of a
///   0-d array prints every digit of the scalar — a loss should read like the tensors around it.
public enum TensorFormatter {
    /// The header and the body, as the REPL prints a tensor value.
    public static func format(_ tensor: Tensor, options: RenderOptions = RenderOptions()) -> String {
        let header = Self.header(shape: tensor.shape, requiresGrad: tensor.requiresGrad, dtype: tensor.dtype)
        let body = formatBody(shape: tensor.shape, values: tensor.printedValues, options: options)
        return ANSI.style(header, ANSI.dim, enabled: options.color) + "\n" + body
    }

    /// The header line alone (`tensor (3, 4)`), for listings such as `:vars`.
    /// float64 is the default and goes unsaid, as PyTorch leaves its default (float32) unsaid.
    public static func header(shape: [Int], requiresGrad: Bool = false, dtype: DType = .float64) -> String {
        "tensor " + formatShape(shape) + (dtype == .float64 ? "" : ", " + dtype.rawValue) + (requiresGrad ? ", requires_grad" : "")
    }

    /// A tensor on one line, for inside other text (a list's items): `tensor(0.7692)`,
    /// `tensor([0.1, 0.2])` with `options.precision` as a tensor on its own gets, or just the
    /// header `tensor (3, 4)` when it has more than `maxElements` elements.
    public static func inline(_ tensor: Tensor, options: RenderOptions = RenderOptions(), maxElements: Int = 8) -> String {
        let shape = tensor.shape, values = tensor.printedValues
        guard values.count <= maxElements, !(values.isEmpty && shape.count > 1) else {
            return header(shape: shape)
        }
        if shape.isEmpty { return "tensor(" + formatBody(shape: shape, values: values, options: options) + ")" }
        let format = FloatFormat(values: values, precision: options.precision, suppressSmall: options.suppressSmall)
        let strides = Shape.strides(shape)
        func render(_ axis: Int, _ offset: Int) -> String {
            if axis == shape.count { return format(values[offset]).trimmingCharacters(in: .whitespaces) }
            return "[" + (0..<shape[axis]).map { render(axis + 1, offset + $0 * strides[axis]) }.joined(separator: ", ") + "]"
        }
        return "tensor(" + render(0, 0) + ")"
    }

    /// NumPy's `str(array)` for row-major `values` of `shape`, with `options.width` as the line
    /// width (NumPy's is 75) and `…` as the summary marker. Mis-sized input prints as a note
    /// rather than trapping.
    public static func formatBody(shape: [Int], values: [Double], options: RenderOptions = RenderOptions()) -> String {
        // Overflow-checked: a public entry point must not trap on an absurd shape.
        var count: Int? = 1
        for n in shape {
            guard let c = count, n >= 0 else { count = nil; break }
            let (product, overflow) = c.multipliedReportingOverflow(by: n)
            count = overflow ? nil : product
        }
        guard let count, count == values.count else {
            return "<\(values.count) values do not fill shape \(formatShape(shape))>"
        }
        if count == 0 { return "[]" }
        if shape.isEmpty {
            // A tiny gradient or probability (2.4e-15) must not print as 0.0: below 1e-4 the
            // scalar switches to scientific notation, as the same number in an array would. So does
            // a huge one (1e308 would otherwise be 309 digits, all but 17 of them noise).
            let x = values[0]
            if x.isFinite, x != 0, Swift.abs(x) < 1e-4 && !options.suppressSmall || Swift.abs(x) >= 1e16 {
                return FloatFormat(values: values, precision: options.precision)(x).trimmingCharacters(in: .whitespaces)
            }
            var s = FloatFormat.positional(values[0], digits: options.precision)
            if !values[0].isFinite { s = FloatFormat(values: values, precision: 0)(values[0]) }
            if s.hasSuffix(".") { s += "0" }
            return s
        }
        let summarise = count > options.threshold
        let printer = Printer(shape: shape, values: values, summarise: summarise,
                              edge: max(1, options.edgeItems))
        let shown = summarise ? printer.shownValues() : values
        let format = FloatFormat(values: shown, precision: options.precision, suppressSmall: options.suppressSmall)
        return printer.render(format: format, lineWidth: max(10, options.width))
    }
}

/// NumPy's `_formatArray`, transcribed: the recursion over axes, hanging indents, wrapping of long
/// rows and blank lines between blocks of rank ≥ 3.
private struct Printer {
    let shape: [Int]
    let values: [Double]
    let strides: [Int]
    let summarise: Bool
    let edge: Int
    static let summaryInsert = "…"

    init(shape: [Int], values: [Double], summarise: Bool, edge: Int) {
        self.shape = shape
        self.values = values
        self.summarise = summarise
        self.edge = edge
        var s = Array(repeating: 1, count: shape.count)
        for axis in stride(from: shape.count - 2, through: 0, by: -1) { s[axis] = s[axis + 1] * shape[axis + 1] }
        self.strides = s
    }

    /// Indices shown along an axis of size `n`.
    func shownIndices(_ n: Int) -> [Int] {
        summarise && 2 * edge < n ? Array(0..<edge) + Array((n - edge)..<n) : Array(0..<n)
    }

    /// The values a summary keeps (NumPy's `_leading_trailing`): they alone decide the format.
    func shownValues() -> [Double] {
        var out: [Double] = []
        func walk(_ axis: Int, _ offset: Int) {
            if axis == shape.count { out.append(values[offset]); return }
            for i in shownIndices(shape[axis]) { walk(axis + 1, offset + i * strides[axis]) }
        }
        walk(0, 0)
        return out
    }

    func render(format: FloatFormat, lineWidth: Int) -> String {
        func recurse(_ axis: Int, _ offset: Int, hanging: String, width: Int) -> String {
            if axis == shape.count { return format(values[offset]) }
            let nextHanging = hanging + " "
            let nextWidth = width - 1  // room for the closing "]"
            let n = shape[axis]
            let showSummary = summarise && 2 * edge < n
            let leading = showSummary ? Array(0..<edge) : []
            let trailing = showSummary ? Array((n - edge)..<n) : Array(0..<n)
            let axesLeft = shape.count - axis
            var s = ""
            if axesLeft == 1 {
                let elementWidth = width - 1
                var line = hanging
                func extend(_ word: String) {
                    // NumPy wraps when the word would pass the width, unless the line is still empty.
                    if line.count + word.count > elementWidth && line.count > hanging.count {
                        s += String(line.reversed().drop { $0 == " " }.reversed()) + "\n"
                        line = hanging
                    }
                    line += word
                }
                for i in leading {
                    extend(recurse(axis + 1, offset + i * strides[axis], hanging: nextHanging, width: nextWidth))
                    line += " "
                }
                if showSummary {
                    extend(Self.summaryInsert)
                    line += " "
                }
                for (k, i) in trailing.enumerated() {
                    extend(recurse(axis + 1, offset + i * strides[axis], hanging: nextHanging, width: nextWidth))
                    if k < trailing.count - 1 { line += " " }
                }
                s += line
            } else {
                let separator = String(repeating: "\n", count: axesLeft - 1)
                for i in leading {
                    s += hanging + recurse(axis + 1, offset + i * strides[axis], hanging: nextHanging, width: nextWidth) + separator
                }
                if showSummary { s += hanging + Self.summaryInsert + separator }
                for (k, i) in trailing.enumerated() {
                    s += hanging + recurse(axis + 1, offset + i * strides[axis], hanging: nextHanging, width: nextWidth)
                    if k < trailing.count - 1 { s += separator }
                }
            }
            return "[" + s.dropFirst(hanging.count) + "]"
        }
        return recurse(0, 0, hanging: " ", width: lineWidth)
    }
}
