import Engine
import Figures

/// Every value a script can hold.
///
/// Numbers are `Double`s (an index or a count is a whole number). A bracket literal of numbers
/// such as `[[1, 2], [3, 4]]` is a tensor; a list holds anything else (tensors, strings, mixed),
/// and a list of numbers is turned into a tensor wherever a tensor is needed.
public enum Value {
    case none
    case number(Double)
    case bool(Bool)
    case string(String)
    case tensor(Tensor)
    case list([Value])
    case record(Record)
    case function(UserFunction)
    case builtin(Builtin)
    case model(Model)
    case optimizer(OptimizerValue)
    case figure(Figure)

    /// The kind's name as the language says it ("tensor", "model"…), used in messages and `:vars`.
    public var kindName: String {
        switch self {
        case .none: "none"
        case .number: "number"
        case .bool: "bool"
        case .string: "string"
        case .tensor: "tensor"
        case .list: "list"
        case .record: "record"
        case .function: "function"
        case .builtin: "builtin"
        case .model: "model"
        case .optimizer: "optimizer"
        case .figure: "figure"
        }
    }
}

/// A value with named members, in order: a forward pass's outputs, a trace, a model's parameters.
///
/// A record may be *live*: a trace record reads its tensors from the engine's trace each time, so
/// the gradient members (`dh`, `dh_norm`, `jacobian_norm`) appear after `backward`.
public final class Record {
    public let title: String
    private var stored: [(name: String, value: Value)]
    private let live: (() -> [(name: String, value: Value)])?

    public init(title: String, fields: [(name: String, value: Value)]) {
        self.title = title; self.stored = fields; self.live = nil; self.origin = nil
    }

    /// For a trace record: the layer run and the engine trace it reads (see `TraceOrigin`).
    let origin: TraceOrigin?

    init(title: String, origin: TraceOrigin? = nil, live: @escaping () -> [(name: String, value: Value)]) {
        self.title = title; self.stored = []; self.live = live; self.origin = origin
    }

    public var fields: [(name: String, value: Value)] { live?() ?? stored }

    public subscript(name: String) -> Value? { fields.first { $0.name == name }?.value }

    /// Replaces or adds a member (`r.name = value` in the language); live records are read-only.
    func set(_ name: String, _ value: Value) -> Bool {
        guard live == nil else { return false }
        if let k = stored.firstIndex(where: { $0.name == name }) { stored[k].value = value } else { stored.append((name, value)) }
        return true
    }
}

/// A function written in the language, with the variables it closes over.
public final class UserFunction {
    let decl: FunctionDecl
    let closure: Environment
    public var name: String { decl.name }
    public var parameterNames: [String] { decl.parameters.map(\.name) }
    /// The confined file access the function was defined under (by a lesson), nil when its
    /// author was not confined: see `Interpreter.callUser`.
    let fileAccess: FileAccessPolicy?

    init(decl: FunctionDecl, closure: Environment, fileAccess: FileAccessPolicy? = nil) {
        self.decl = decl; self.closure = closure; self.fileAccess = fileAccess
    }
}

/// An optimizer (SGD, Adam, AdamW) over a model's or a list of tensors' parameters.
public final class OptimizerValue {
    public let name: String
    public let optimizer: any Optimizer

    init(name: String, optimizer: any Optimizer) { self.name = name; self.optimizer = optimizer }

    public var summary: String {
        "\(name)(lr: \(formatNumber(optimizer.lr))) over \(optimizer.parameters.count) tensors"
    }
}

/// A whole number as an integer ("3"), anything else in Swift's shortest round-trip form.
public func formatNumber(_ x: Double) -> String {
    if x.isNaN { return "nan" }
    if x.isInfinite { return x > 0 ? "inf" : "-inf" }
    if x == x.rounded(), Swift.abs(x) < 1e16 { return String(Int(x)) }
    return "\(x)"
}

extension Value: CustomStringConvertible {
    /// Plain text, no colour, no alignment: what `print` writes without a terminal, what the doc
    /// examples' `output` blocks are checked against. The terminal renderer draws values its own way.
    public var description: String {
        switch self {
        case .none: return "none"
        case let .number(x): return formatNumber(x)
        case let .bool(b): return b ? "true" : "false"
        case let .string(s): return Value.quoted(s)
        case let .tensor(t): return Value.describe(t)
        case let .list(items): return "[" + items.map(\.description).joined(separator: ", ") + "]"
        case let .record(r):
            return r.title + " {" + r.fields.map { "\($0.name): \($0.value.shortDescription)" }.joined(separator: ", ") + "}"
        case let .function(f): return "<function \(f.name)(\(f.parameterNames.joined(separator: ", ")))>"
        case let .builtin(b): return "<builtin \(b.signature)>"
        case let .model(m): return m.summary
        case let .optimizer(o): return o.summary
        case let .figure(f): return "<figure \(f.kind.rawValue)\(f.title.map { " \"\($0)\"" } ?? "")>"
        }
    }

    /// A tensor's kind and shape instead of its numbers; used for record members.
    public var shortDescription: String {
        switch self {
        case let .tensor(t) where t.count > 1: return "tensor \(formatShape(t.shape))"
        case let .record(r): return r.title
        case let .list(items) where items.count > 8: return "list of \(items.count)"
        default: return description
        }
    }

    static func describe(_ t: Tensor) -> String {
        if t.count > 1000 { return "tensor(shape \(formatShape(t.shape)), \(t.count) elements)" }
        let strides = Shape.strides(t.shape), values = t.printedValues
        func render(_ axis: Int, _ offset: Int) -> String {
            if axis == t.rank { return formatNumber(values[offset]) }
            return "[" + (0..<t.shape[axis]).map { render(axis + 1, offset + $0 * strides[axis]) }.joined(separator: ", ") + "]"
        }
        return "tensor(" + render(0, 0) + (t.dtype == .float64 ? "" : ", dtype: \(t.dtype.rawValue)") + ")"
    }

    /// The text `print` puts on its line for this value, nil for a value it shows on lines of its
    /// own. Strings, numbers, bools, none and scalar tensors join the line, and so do lists of
    /// those without tensors (`x.shape` prints as `[10, 8, 64]`): their plain text is one line and
    /// needs no precision. Tensors, records, models and figures are drawn by the host.
    var printLineText: String? {
        switch self {
        case .string, .number, .bool, .none: return printText
        case let .tensor(t) where t.rank == 0: return printText
        case let .list(items) where items.allSatisfy(\.isPlainListItem): return description
        default: return nil
        }
    }

    /// A list item whose plain text is short and exact: no tensors, records, models or figures.
    private var isPlainListItem: Bool {
        switch self {
        case .number, .bool, .none: return true
        case .string: return true
        case let .list(items): return items.allSatisfy(\.isPlainListItem)
        default: return false
        }
    }

    /// The text `print` writes for this value: strings without quotes.
    var printText: String {
        if case let .string(s) = self { return s }
        if case let .tensor(t) = self, t.rank == 0 { return formatNumber(t.dtype.printed(t.storage[0])) }
        return description
    }
}

extension Value {
    /// `none`: an argument left out, a statement with no value.
    var isNone: Bool { if case .none = self { return true } else { return false } }
}

extension Value {
    /// A string as the prompt shows it: in quotes, with the characters that would break the line
    /// or the quoting escaped as they are typed (`"\n"`, `"\""`), as Python's repr does —
    /// a vocabulary's newline token must read as `"\n"`, not as a line break inside a list.
    public static func quoted(_ s: String) -> String { StringLiteralSyntax.language.quoted(s) }
}
