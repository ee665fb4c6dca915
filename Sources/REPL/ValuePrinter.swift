import Engine
import Figures
import Script
import Terminal

/// Turns a value into what the REPL and `rnnlab run` print: the one place values are drawn.
///
/// Tensors go through the Terminal formatter (NumPy's layout, `:precision`), figures through the
/// figure renderer, records list their members, models their parameters and counts. `none`
/// prints nothing (an assignment or `print(…)` shows no result).
public struct ValuePrinter {
    public var options: RenderOptions

    public init(options: RenderOptions) { self.options = options }

    /// The text for `value`, without a trailing newline; nil when nothing should be printed.
    public func render(_ value: Value) -> String? {
        switch value {
        case .none: return nil
        case let .tensor(t): return TensorFormatter.format(t, options: options)
        case let .record(r): return renderRecord(r)
        case let .model(m): return renderModel(m)
        case let .figure(f): return renderFigure(f)
        case let .list(items): return renderList(items)
        case let .string(s):
            return style("\"", ANSI.dim) + ValuePrinter.shownString(s, style: { style($0, ANSI.dim) }) + style("\"", ANSI.dim)
        case .number, .bool, .optimizer, .function, .builtin: return value.description
        }
    }

    /// Longest string shown whole as a value; a longer one shows its start and end around a note.
    static let stringDisplayLimit = 4000

    /// The inside of a string's quoted display. A value of millions of characters is no use on
    /// a screen and took seconds to draw (20 MB: 6 s), so past ``stringDisplayLimit`` it shows the
    /// first 2,000 and last 500 characters and says how many there are; `print(s)` writes them all.
    static func shownString(_ s: String, style: (String) -> String) -> String {
        func inside(_ part: Substring) -> Substring { Value.quoted(String(part)).dropFirst().dropLast() }
        guard s.unicodeScalars.count > stringDisplayLimit else { return String(inside(s[...])) }
        let count = s.count
        guard count > stringDisplayLimit else { return String(inside(s[...])) }
        let note = style(" … (\(count) characters; print shows them all) … ")
        return String(inside(s.prefix(2000))) + note + String(inside(s.suffix(500)))
    }

    private func style(_ text: String, _ code: String) -> String {
        ANSI.style(text, code, enabled: options.color)
    }

    func renderFigure(_ figure: Figure) -> String {
        Terminal.render(figure, options: options)
    }

    /// Title, then one member a line with names aligned: small tensors and numbers inline,
    /// bigger tensors as their shape.
    func renderRecord(_ record: Record) -> String {
        let fields = record.fields
        // Titles and names can come from data (a CSV header): escaped, then measured and styled.
        let title = ControlCharacters.escaped(record.title)
        guard !fields.isEmpty else { return title + " {}" }
        let names = fields.map { ControlCharacters.escaped($0.name) }
        let width = names.map(\.count).max() ?? 0
        var lines = [style(title, ANSI.bold)]
        for (name, (_, value)) in zip(names, fields) {
            let padded = name + String(repeating: " ", count: width - name.count)
            lines.append("  " + padded + "  " + member(value))
        }
        return lines.joined(separator: "\n")
    }

    /// A one-line summary of a member value.
    func member(_ value: Value) -> String {
        switch value {
        case let .tensor(t):
            let header = TensorFormatter.header(shape: t.shape, requiresGrad: t.requiresGrad, dtype: t.dtype)
            if t.count <= 6 && t.rank <= 1 {
                return header + "  " + TensorFormatter.formatBody(shape: t.shape, values: t.printedValues, options: options)
            }
            return header
        case let .model(m): return m.summary
        case let .record(r): return "\(ControlCharacters.escaped(r.title)) (\(r.fields.count) members)"
        case let .list(items) where items.count > 6 || items.contains(where: \.isBulky): return "list of \(items.count)"
        case let .list(items): return inlineList(items) ?? value.shortDescription
        case let .figure(f): return "figure \(f.kind.rawValue)" + (f.title.map { " " + Value.quoted($0) } ?? "")
        default: return value.shortDescription
        }
    }

    /// The constructor summary, then each parameter with its shape.
    func renderModel(_ model: Model) -> String {
        let parameters = model.module.namedParameters
        // The constructor call broken after its commas, as help signatures are: a terminal would
        // cut it anywhere, inside a name.
        var lines = wrapSignature(model.summary, width: options.width).split(separator: "\n").map { style(String($0), ANSI.bold) }
        let width = parameters.map(\.name.count).max() ?? 0
        let shapes = parameters.map { formatShape($0.tensor.shape) }
        let shapeWidth = shapes.map(\.count).max() ?? 0
        let countWidth = parameters.map { String($0.tensor.count).count }.max() ?? 0
        for ((name, tensor), shape) in zip(parameters, shapes) {
            let padded = name + String(repeating: " ", count: width - name.count)
            let number = String(tensor.count)
            let count = String(repeating: " ", count: countWidth - number.count) + number
            lines.append("  " + padded + "  " + shape + String(repeating: " ", count: shapeWidth - shape.count)
                         + "  " + style(count, ANSI.dim))
        }
        return lines.joined(separator: "\n")
    }

    /// A list on one line when its items have short forms — numbers, strings, tensors as
    /// `tensor(0.7692)` / `tensor([0.1, 0.2])` with the session's precision, bigger tensors as
    /// `tensor (3, 4)` — and the line fits (a list of scalars always stays on one line). Otherwise
    /// one item a line, indexed: the short forms, or, for lists holding records, models, figures or
    /// optimizers, each item drawn in full.
    func renderList(_ items: [Value]) -> String {
        guard let line = inlineList(items) else { return indexedList(items) { render($0) ?? "none" } }
        if ANSI.strip(line).count <= options.width || !items.contains(where: \.isBulky) { return line }
        return indexedList(items) { inlineItem($0) ?? render($0) ?? "none" }
    }

    /// `[a, b, …]` with every item in its one-line form; nil when an item has none.
    func inlineList(_ items: [Value]) -> String? {
        var parts: [String] = []
        for item in items {
            guard let text = inlineItem(item) else { return nil }
            parts.append(text)
        }
        return "[" + parts.joined(separator: ", ") + "]"
    }

    /// An item of a list on one line: tensors compactly with the session's precision, nested lists
    /// likewise, scalars and strings as their plain text; nil for records, models, figures, optimizers.
    func inlineItem(_ value: Value) -> String? {
        switch value {
        case let .tensor(t): return TensorFormatter.inline(t, options: options)
        case let .list(inner): return inlineList(inner)
        case .record, .model, .figure, .optimizer: return nil
        case .none, .number, .bool, .string, .function, .builtin: return value.description
        }
    }

    /// `list of N`, then `[k] item` lines (an item's later lines indented under its first).
    private func indexedList(_ items: [Value], _ text: (Value) -> String) -> String {
        var lines = ["list of \(items.count)"]
        for (k, item) in items.enumerated() {
            let label = "[\(k)] "
            let indent = String(repeating: " ", count: label.count)
            let body = text(item).split(separator: "\n", omittingEmptySubsequences: false)
                .enumerated().map { $0.offset == 0 ? String($0.element) : indent + $0.element }
                .joined(separator: "\n")
            lines.append(style(label, ANSI.dim) + body)
        }
        return lines.joined(separator: "\n")
    }

    /// `:vars`: a value's kind and, where it has one, its shape or a short summary.
    func variableSummary(_ value: Value) -> String {
        switch value {
        case let .tensor(t): return formatShape(t.shape) + (t.requiresGrad ? ", requires_grad" : "")
        case let .number(x): return formatNumber(x)
        case let .bool(b): return b ? "true" : "false"
        case let .string(s): return s.count > 40 ? String(Value.quoted(String(s.prefix(37))).dropLast()) + "…\"" : Value.quoted(s)
        case let .list(items): return "\(items.count) item\(items.count == 1 ? "" : "s")"
        case let .record(r): return ControlCharacters.escaped(r.title + " (" + r.fields.map(\.name).joined(separator: ", ") + ")")
        case let .model(m): return m.summary
        case let .optimizer(o): return o.summary
        case let .figure(f): return f.kind.rawValue + (f.title.map { " " + Value.quoted($0) } ?? "")
        case .function, .builtin, .none: return value.description
        }
    }
}

extension Value {
    /// Values that take more than a few characters to show.
    var isBulky: Bool {
        switch self {
        case let .tensor(t): return t.count > 1
        case .record, .model, .figure, .optimizer: return true
        case let .list(items): return items.contains(where: \.isBulky)
        default: return false
        }
    }
}
