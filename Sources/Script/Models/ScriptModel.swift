import Engine

/// One kind of model as the language sees it — an RNN layer, a classifier, a seq2seq model.
///
/// Each architecture adopts this protocol in its own file (`Models/ClassifierModel.swift` …) and
/// is listed once in ``ModelRegistry``; nothing else in the interpreter knows the architectures.
/// Calling `m(…)`, `m.member`, Tab completion, the one-line summary, `help(name)`, `train`,
/// `predict` and `inspect` all go through these requirements. README "Add a model" walks
/// through a new one.
protocol ScriptModel: AnyObject {
    /// The builtins that make this kind of model — its constructor, whose signature, doc and
    /// example are what `help(name)` shows — and any methods only it has (`translate`).
    static var builtins: [Builtin] { get }

    /// The engine module: parameters by their PyTorch `state_dict` names (`m.weight_ih_l0`,
    /// `m.parameters`, `save`/`load`, optimizers).
    var module: any Module { get }

    /// The builtin that makes it: "lstm", "gru_cell", "classifier"…
    var name: String { get }

    /// The constructor's arguments that would make it again, for the summary:
    /// `input: 3, hidden: 4`.
    var configuration: String { get }

    /// How a call reads, shown with argument errors: `linear(x)`.
    var callUsage: String { get }

    /// `m(…)`: reads its arguments from `args` (the caller checks that all were used).
    func call(_ args: inout Arguments, _ interpreter: Interpreter) throws -> Value

    /// Members beyond the parameters and the ones every model has: sizes, sub-models.
    var members: [(name: String, value: Value)] { get }

    /// Training mode: dropout between stacked recurrent layers on.
    var training: Bool { get set }

    /// What `train`, `predict` and `inspect` work on, or nil when this model is not trained as
    /// a whole (a cell, a linear layer: their parameters go to an optimizer by hand).
    /// `start` is a seq2seq model's first decoder token.
    func trainingTarget(start: Int?, _ args: Arguments) throws -> TrainingTarget?
}

extension ScriptModel {
    var members: [(name: String, value: Value)] { [] }
    func trainingTarget(start: Int?, _ args: Arguments) throws -> TrainingTarget? { nil }
}

/// A model value: one ``ScriptModel`` behind the language's `model` kind.
///
/// The protocol is internal (it speaks in the interpreter's `Arguments`); this class is what
/// hosts — the REPL's printer, JSON output, grading — see of a model.
public final class Model {
    let base: any ScriptModel

    init(_ base: any ScriptModel) { self.base = base }

    public var module: any Module { base.module }

    /// The builtin that makes this kind of model: "lstm", "gru_cell", "linear"…
    public var name: String { base.name }

    /// Training mode (dropout on); eval mode is `false`.
    public var training: Bool {
        get { base.training }
        set { base.training = newValue }
    }

    /// One line: the constructor call that would make this model, and its parameter count.
    public var summary: String {
        // float64 is the default and goes unsaid; any other precision is part of what made the model.
        let precision = module.dtype.map { $0 == .float64 ? "" : ", dtype: \"\($0.rawValue)\"" } ?? ""
        return "\(name)(\(base.configuration)\(precision)) with \(module.parameterCount) parameters"
    }

    /// The architecture behind the value, when it is a `T` (`m.as(GeneratorModel.self)`).
    func `as`<T>(_: T.Type) -> T? { base as? T }

    /// Every member but the parameters' own names: what all models have, then the model's own.
    var attributes: [String: Value] {
        var out: [String: Value] = [
            "parameters": .record(Record(title: "\(name) parameters", fields: module.namedParameters.map { ($0.name, .tensor($0.tensor)) })),
            "training": .bool(training),
            "kind": .string(name),
            "parameter_count": .number(Double(module.parameterCount)),
            "dtype": module.dtype.map { .string($0.rawValue) } ?? .string("mixed"),
        ]
        for (name, value) in base.members { out[name] = value }
        return out
    }
}
