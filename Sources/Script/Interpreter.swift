import Foundation
import Engine
import Figures

/// Everything a run produces, for the REPL (or a test) to show — in the order it happens. This is
/// the one channel: printed text, printed values, the value of each top-level expression
/// statement, and training progress all come through it, so `print(1); 2; print(3)` shows 1, 2, 3.
public enum Emission {
    /// `print`/`help` text.
    case text(String)
    /// A value `print` was given (a figure, a tensor…), drawn by the host.
    case value(Value)
    /// The value of a top-level expression statement (never `none`), where it was computed: the
    /// REPL shows it as `Out[n]:` and binds `_` and `_n`; JSON output gives its file and line.
    case result(Value, SourceLocation)
    /// A training run's progress (`train(…)`): the host draws it — a bar redrawn in place on a
    /// terminal, periodic lines elsewhere — or ignores it (a lesson's recorded output, JSON).
    /// Progress is time-dependent, so it never travels as text.
    case progress(TrainingProgress)
}

/// Runs rnnlab programs. One interpreter is one session: its globals persist from run to run.
public final class Interpreter {
    let emit: (Emission) -> Void
    let globals = Environment()
    private(set) var builtins: [String: Builtin] = [:]
    /// Nested calls of user functions right now; past `maxCallDepth` a call fails cleanly.
    var callDepth = 0
    static let maxCallDepth = 200
    /// Nested evaluations right now (expressions inside calls inside expressions…): a hard bound
    /// on the evaluator's recursion whatever mix of deep expressions and calls produced it.
    var evalDepth = 0
    static let maxEvalDepth = 4000

    /// The REPL points this at the flag its SIGINT handler sets; loops, calls and long builtins
    /// check it and stop with an "interrupted" error.
    public var isCancelled: () -> Bool = { false }

    /// Which files builtins may read and write: everything for the learner's own code; a lesson's
    /// cells and answer keys run under a `.lesson` policy (`withFileAccess`).
    public internal(set) var fileAccess: FileAccessPolicy = .unrestricted

    /// `train(…)` emits progress at most this often (seconds), plus its first and final update.
    public var progressInterval: Double = 0.1
    /// Columns that help texts are wrapped to (the REPL sets the terminal's width).
    public var textWidth = 88
    /// Tests only: called after every completed training step with the step count.
    var trainingStepHook: ((Int) -> Void)?

    /// The value of the last top-level expression statement (`_` in the language).
    public var lastValue: Value?

    /// Random numbers for `randn`/`rand`/`dropout` calls without a `seed:` (reset by `reset()`).
    var rng = RandomGenerator(seed: 0)

    public init(emit: @escaping (Emission) -> Void = { _ in }) {
        self.emit = emit
        for b in Interpreter.registeredBuiltins() { builtins[b.name] = b }
    }

    /// Every builtin of every family, in registration order. Names must be unique — a second
    /// `zeros` would silently replace the first in the table — which `BuiltinTests` holds.
    static func registeredBuiltins() -> [Builtin] {
        constructionBuiltins() + precisionBuiltins() + mathBuiltins() + autodiffBuiltins() + modelBuiltins() + ModelRegistry.builtins
            + trainingBuiltins() + trainingRunBuiltins() + inferenceBuiltins() + sequenceBuiltins() + ioBuiltins()
            + dataBuiltins() + figureBuiltins() + figureFileBuiltins() + diagramBuiltins() + attentionBuiltins() + helpBuiltins()
    }

    /// Adds a kind of model that is not in ``ModelRegistry`` (a test's own): its constructor and
    /// methods join this interpreter's builtins; everything else comes through the protocol.
    func register(model: any ScriptModel.Type) {
        for b in model.builtins { builtins[b.name] = b }
    }

    /// Every builtin, sorted by name.
    public var builtinList: [Builtin] { builtins.values.sorted { $0.name < $1.name } }

    /// Parses and runs all statements of `source`; returns each top-level expression statement's
    /// value (assignments and other statements give none), stopping at the first error. What ran
    /// before the error stays done. A parse error anywhere in `source` stops it before anything runs.
    ///
    /// The statements run on a thread of the interpreter's own with a 256 MB stack (so that the
    /// recursion limits hold on any caller's thread); `emit` and `isCancelled` are called on that
    /// thread while the caller waits. Do not call `run` on one interpreter from two threads at once.
    public func run(_ source: String, file: String = "<input>") -> (values: [(value: Value, location: SourceLocation)], error: ScriptError?) {
        run(source, file: file, showingResults: true)
    }

    /// `run`, with `showingResults: false` for evaluations the learner did not type as a statement
    /// (grading an answer): their values are returned but not emitted as results.
    public func run(_ source: String, file: String, showingResults: Bool) -> (values: [(value: Value, location: SourceLocation)], error: ScriptError?) {
        run(source, file: file, firstLine: 1, showingResults: showingResults)
    }

    /// `run` for source that starts on line `firstLine` of `file` (a statement of a script, a
    /// lesson cell): locations and error lines are the file's.
    public func run(_ source: String, file: String, firstLine: Int, showingResults: Bool = true) -> (values: [(value: Value, location: SourceLocation)], error: ScriptError?) {
        // Evaluation recurses once per nesting level; a thread of its own with a large stack makes
        // the limits (call depth, expression depth) safe whatever thread the caller runs on.
        let box = UncheckedBox<(values: [(value: Value, location: SourceLocation)], error: ScriptError?)>()
        let me = UncheckedBox<Interpreter>()
        me.value = self
        let done = DispatchSemaphore(value: 0)
        // The engine's long loops on that thread poll the cancellation flag this thread polls, and
        // what it allocates is held to this thread's memory budget.
        let watch = Cancellation.Watch.current
        let thread = Thread(block: MemoryBudget.inCurrentScope {
            box.value = watch.adopt { me.value?.runHere(source, file: file, firstLine: firstLine, showingResults: showingResults) }
            done.signal()
        })
        thread.stackSize = 256 << 20
        thread.start()
        done.wait()
        return box.value ?? ([], ScriptError("internal error: the run did not finish"))
    }

    func runHere(_ source: String, file: String, firstLine: Int = 1, showingResults: Bool = true) -> (values: [(value: Value, location: SourceLocation)], error: ScriptError?) {
        let program: [Stmt]
        do { program = try Parser.parse(source, file: file, firstLine: firstLine) } catch {
            return ([], error.attaching(source: source, firstLine: firstLine))
        }
        var values: [(value: Value, location: SourceLocation)] = []
        callDepth = 0
        evalDepth = 0
        for stmt in program {
            do {
                if case let .expr(e) = stmt.kind {
                    let v = try eval(e, globals)
                    values.append((v, stmt.location))
                    if case .none = v {} else {
                        lastValue = v
                        if showingResults { emit(.result(v, stmt.location)) }
                    }
                } else {
                    try execute(stmt, globals)
                }
            } catch let e as ScriptError {
                return (values, e.located(stmt.location).attaching(source: source, firstLine: firstLine))
            } catch let signal as ControlFlow {
                let what: String
                switch signal {
                case .returnValue: what = "'return' outside a function"
                case .breakLoop: what = "'break' outside a loop"
                case .continueLoop: what = "'continue' outside a loop"
                }
                return (values, ScriptError(.syntax, what, at: stmt.location).attaching(source: source, firstLine: firstLine))
            } catch {
                return (values, ScriptError.from(error, at: stmt.location).attaching(source: source, firstLine: firstLine))
            }
        }
        return (values, nil)
    }

    /// The error that parsing `source` gives, with its line attached, or nil when it parses.
    /// Nothing runs.
    public static func parseError(_ source: String, file: String) -> ScriptError? {
        do { _ = try Parser.parse(source, file: file) } catch { return error.attaching(source: source) }
        return nil
    }

    /// False while a bracket, brace or string is still open: the REPL keeps reading lines.
    public static func isComplete(_ source: String) -> Bool { Lexer.isComplete(source) }

    /// Binds a global variable (the REPL's `_3` for its third result).
    public func define(_ name: String, _ value: Value) { globals.set(name, value) }

    /// The user's global variables, sorted by name.
    public var variables: [(name: String, value: Value)] {
        globals.values.map { (name: $0.key, value: $0.value) }.sorted { $0.name < $1.name }
    }

    /// Forgets every variable and `_`.
    public func reset() {
        globals.removeAll()
        lastValue = nil
        rng = RandomGenerator(seed: 0)
    }

    /// The help text of a builtin (signature, description, example), or a line about a variable.
    public func help(_ name: String) -> String? {
        if let b = builtins[name] { return b.helpText(width: textWidth) }
        if let v = globals.lookup(name) { return Interpreter.describeForHelp(name, v) }
        return Interpreter.topicHelp[name] ?? familyHelp(name)
    }

    /// `help("models")`: every builtin of a family with the first sentence of its doc.
    func familyHelp(_ name: String) -> String? {
        guard let (family, title) = Interpreter.familyTitles.first(where: { $0.family == name || $0.title.lowercased() == name.lowercased() }) else { return nil }
        let members = builtinList.filter { $0.family == family }
        let width = members.map(\.name.count).max() ?? 0
        let indent = String(repeating: " ", count: width + 4)
        return ([title + ":"] + members.map { member in
            let lines = wrap(member.summary, width: max(20, textWidth - width - 4)).split(separator: "\n")
            return "  " + member.name + String(repeating: " ", count: width - member.name.count) + "  "
                + lines.joined(separator: "\n" + indent)
        }).joined(separator: "\n")
    }

    static func describeForHelp(_ name: String, _ v: Value) -> String {
        switch v {
        case let .builtin(b): return b.helpText
        case let .function(f): return "\(name) is a function: \(f.name)(\(f.parameterNames.joined(separator: ", ")))"
        default: return "\(name) is a \(v.kindName): \(v.shortDescription)"
        }
    }

    // MARK: statements

    /// `return`, `break` and `continue` unwind as errors. They are thrown and caught on the
    /// interpreter's own thread and never cross to another, so the non-Sendable `Value` is safe here.
    enum ControlFlow: Error, @unchecked Sendable {
        case returnValue(Value)
        case breakLoop
        case continueLoop
    }

    func execute(_ stmt: Stmt, _ env: Environment) throws {
        switch stmt.kind {
        case let .expr(e):
            _ = try eval(e, env)
        case let .assign(target, op, valueExpr):
            var value = try eval(valueExpr, env)
            if let op {
                let old = try eval(target, env)
                value = try located(stmt.location) { try binary(op, old, value) }
            }
            try assign(target, value, env)
        case let .ifElse(branches, otherwise):
            for (condition, body) in branches where try truth(try eval(condition, env), at: condition.location) {
                try executeBlock(body, env)
                return
            }
            if let otherwise { try executeBlock(otherwise, env) }
        case let .forIn(variable, sequenceExpr, body):
            if case let .range(loExpr, hiExpr) = sequenceExpr.kind {
                // A range in a `for` is counted, never built, so `for i in 0..<100000000` runs
                // (and Ctrl-C stops it) without a list of 10⁸ numbers.
                let a = try eval(loExpr, env), b = try eval(hiExpr, env)
                let (lo, hi) = try located(sequenceExpr.location) { try rangeBounds(a, b) }
                var i = lo
                while i < hi {
                    try checkCancelled(stmt.location)
                    env.set(variable, .number(Double(i)))
                    i += 1
                    do { try executeBlock(body, env) } catch ControlFlow.breakLoop { break } catch ControlFlow.continueLoop { continue }
                }
                return
            }
            let items = try iterate(try eval(sequenceExpr, env), at: sequenceExpr.location)
            for item in items {
                try checkCancelled(stmt.location)
                env.set(variable, item)
                do { try executeBlock(body, env) } catch ControlFlow.breakLoop { break } catch ControlFlow.continueLoop { continue }
            }
        case let .whileLoop(condition, body):
            while try truth(try eval(condition, env), at: condition.location) {
                try checkCancelled(stmt.location)
                do { try executeBlock(body, env) } catch ControlFlow.breakLoop { break } catch ControlFlow.continueLoop { continue }
            }
        case let .def(decl):
            env.set(decl.name, .function(UserFunction(decl: decl, closure: env, fileAccess: confinedFileAccess)))
        case let .returnValue(e):
            throw ControlFlow.returnValue(try e.map { try eval($0, env) } ?? .none)
        case .breakLoop:
            throw ControlFlow.breakLoop
        case .continueLoop:
            throw ControlFlow.continueLoop
        case let .help(e):
            emit(.text(try helpText(for: e, env)))
        case let .noGrad(body):
            try GradMode.withoutGrad { try executeBlock(body, env) }
        }
    }

    func executeBlock(_ body: [Stmt], _ env: Environment) throws {
        for stmt in body {
            // Also between the statements of a block: after Ctrl-C stops a long call that returns
            // normally (train keeps its history), the next statement must not run on half a result.
            try checkCancelled(stmt.location)
            do { try execute(stmt, env) } catch let e as ScriptError { throw e.located(stmt.location) }
        }
    }

    /// Throws "interrupted" when the session's own flag (`isCancelled`) or the engine's request
    /// (``Cancellation``, raised by the same Ctrl-C) is set.
    func checkCancelled(_ location: SourceLocation) throws {
        if isCancelled() || Cancellation.isRequested { throw ScriptError.interrupted(at: location) }
    }

    /// Whether the running statement should stop (see ``checkCancelled(_:)``).
    var cancellationRequested: Bool { isCancelled() || Cancellation.isRequested }

    private func helpText(for e: Expr, _ env: Environment) throws -> String {
        if case let .name(name) = e.kind {
            if let v = env.lookup(name) { return Interpreter.describeForHelp(name, v) }
            if let b = builtins[name] { return b.helpText(width: textWidth) }
            if let topic = Interpreter.topicHelp[name] ?? familyHelp(name) { return topic }
        }
        let v = try eval(e, env)
        return Interpreter.describeForHelp(Interpreter.pathText(e) ?? "this", v)
    }

    // MARK: expressions

    func eval(_ e: Expr, _ env: Environment) throws -> Value {
        evalDepth += 1
        defer { evalDepth -= 1 }
        if evalDepth > Interpreter.maxEvalDepth {
            throw ScriptError(.limit, "this computation nests too deeply (more than \(Interpreter.maxEvalDepth) levels of expressions and calls)", at: e.location)
        }
        switch e.kind {
        case let .number(x): return .number(x)
        case let .string(s): return .string(s)
        case let .bool(b): return .bool(b)
        case .none: return .none
        case let .name(name): return try lookup(name, env, at: e.location)
        case let .list(items):
            let values = try items.map { try eval($0, env) }
            let nested = items.map { if case .list = $0.kind { return true }; return false }
            return try located(e.location) { try Interpreter.listLiteral(values, nested: nested) }
        case let .unary(op, operand):
            let v = try eval(operand, env)
            return try located(e.location) { try unary(op, v) }
        case let .binary(op, lhs, rhs):
            let a = try eval(lhs, env), b = try eval(rhs, env)
            return try located(e.location) { try binary(op, a, b) }
        case let .logical(op, lhs, rhs):
            let a = try truth(try eval(lhs, env), at: lhs.location)
            if op == "and" ? !a : a { return .bool(a) }
            return .bool(try truth(try eval(rhs, env), at: rhs.location))
        case let .range(lo, hi):
            let a = try eval(lo, env), b = try eval(hi, env)
            return try located(e.location) { try range(a, b) }
        case let .call(callee, arguments):
            let f = try eval(callee, env)
            var positional: [Value] = [], named: [(name: String, value: Value)] = []
            for a in arguments {
                let v = try eval(a.value, env)
                if let n = a.name { named.append((n, v)) } else { positional.append(v) }
            }
            if case let .name(name) = callee.kind, builtins[name] != nil, !Interpreter.isCallable(f) {
                // `full = read_text(…)` then `full(5, 1)`: say what happened to the builtin.
                throw ScriptError(.wrongType, "'\(name)' is a \(f.kindName) here: a variable of that name hides the builtin \(name)(…); rename the variable to call the builtin again", at: e.location)
            }
            // (`call` itself drops what a call cut short by Ctrl-C returns, except a builtin's own stop.)
            return try located(e.location, droppingInterrupted: false) { try call(f, positional, named, at: e.location) }
        case let .index(base, items):
            let v = try eval(base, env)
            let resolved = try items.map { try resolveIndex($0, env) }
            return try located(e.location) { try index(v, resolved) }
        case let .member(base, name):
            let v = try eval(base, env)
            return try located(e.location) { try member(v, name) }
        case let .function(decl):
            return .function(UserFunction(decl: decl, closure: env, fileAccess: confinedFileAccess))
        }
    }

    func lookup(_ name: String, _ env: Environment, at location: SourceLocation) throws -> Value {
        if let v = env.lookup(name) { return v }
        if name == "_" { return lastValue ?? .none }
        if let b = builtins[name] { return .builtin(b) }
        let candidates = env.allNames + Array(builtins.keys)
        let hint = closestName(to: name, in: candidates).map { " — did you mean '\($0)'?" } ?? ""
        throw ScriptError(.unknownName, "unknown name '\(name)'\(hint)", at: location)
    }

    /// Runs `body`, giving any error it throws `location` (engine errors become ScriptErrors).
    ///
    /// Engine work stops part-way when Ctrl-C is pending (``Cancellation``): an operation that can
    /// throw throws ``TensorError/interrupted``, one that cannot returns an incomplete value. Either
    /// way the pending request is seen here and the value is dropped: the statement is abandoned
    /// with "interrupted" and nothing is assigned. Any other error raised while a request is
    /// pending (a file read cut short) is reported as the interruption it is.
    func located<T>(_ location: SourceLocation, droppingInterrupted: Bool = true, _ body: () throws -> T) throws -> T {
        let value: T
        do { value = try body() }
        catch _ where Cancellation.isRequested { throw ScriptError.interrupted(at: location) }
        catch let e as ControlFlow { throw e }
        catch { throw ScriptError.from(error, at: location) }
        if droppingInterrupted && Cancellation.isRequested { throw ScriptError.interrupted(at: location) }
        return value
    }

    func truth(_ v: Value, at location: SourceLocation) throws -> Bool {
        switch v {
        case let .bool(b): return b
        case let .number(x): return x != 0
        case .none: return false
        case let .string(s): return !s.isEmpty
        case let .list(items): return !items.isEmpty
        case let .tensor(t):
            guard t.count == 1 else {
                throw ScriptError(.wrongType, "a tensor of shape \(formatShape(t.shape)) is neither true nor false; use any(…) or all(…)", at: location)
            }
            return t.storage[0] != 0
        default: return true
        }
    }

    func iterate(_ v: Value, at location: SourceLocation) throws -> [Value] {
        switch v {
        case let .list(items): return items
        case let .tensor(t):
            guard t.rank > 0 else { throw ScriptError(.wrongType, "cannot loop over a scalar tensor", at: location) }
            return try located(location) { try Cancellation.map(count: t.shape[0]) { .tensor(try t[$0]) } }
        case let .string(s): return s.map { .string(String($0)) }
        case let .record(r): return r.fields.map { .string($0.name) }
        default: throw ScriptError(.wrongType, "cannot loop over a \(v.kindName); loop over a range (0..<n), a list or a tensor", at: location)
        }
    }

    func range(_ a: Value, _ b: Value) throws -> Value {
        let (lo, hi) = try rangeBounds(a, b)
        guard hi <= lo || hi - lo <= 10_000_000 else { throw ScriptError(.limit, "the range \(lo)..<\(hi) is too long to make a list of (at most 10⁷ numbers); a `for` loop over it has no limit") }
        return .list(lo < hi ? try Cancellation.map(count: hi - lo) { .number(Double(lo + $0)) } : [])
    }

    /// The whole-number bounds of `a..<b`, each at most 2⁵³ in size: up to there every whole
    /// number is a double, so the loop variable counts exactly; past it doubles skip whole numbers
    /// and `i + 1` could equal `i`.
    func rangeBounds(_ a: Value, _ b: Value) throws -> (Int, Int) {
        let limit = 9_007_199_254_740_992.0  // 2⁵³
        func int(_ v: Value) throws -> Int {
            let x: Double
            switch v {
            case let .number(n): x = n
            case let .tensor(t) where t.count == 1: x = t.storage[0]
            default: throw ScriptError(.wrongType, "a range a..<b needs whole numbers, got \(v.kindName) \(v.shortDescription)")
            }
            guard x.isFinite, x == x.rounded() else {
                throw ScriptError(.wrongType, "a range a..<b needs whole numbers, got \(formatNumber(x))")
            }
            guard Swift.abs(x) <= limit else {
                throw ScriptError(.limit, "a range bound can be at most 2⁵³ (9007199254740992) in size, got \(formatNumber(x)): beyond that not every whole number can be counted")
            }
            return Int(x)
        }
        return (try int(a), try int(b))
    }

    /// `[…]` literal: a tensor when every element is a number, or every element is itself a
    /// bracket literal that became a tensor (`[[1, 2], [3, 4]]`); otherwise a list.
    static func listLiteral(_ values: [Value], nested: [Bool]) throws -> Value {
        guard !values.isEmpty else { return .list([]) }
        if values.allSatisfy({ if case .number = $0 { return true }; return false }) {
            return .tensor(Tensor(values.map { if case let .number(x) = $0 { return x }; return 0 }))
        }
        guard nested.allSatisfy({ $0 }), values.allSatisfy({ if case .tensor = $0 { return true }; return false }) else {
            let list = Value.list(values)
            try checkNesting(list)
            return list
        }
        func literal(_ t: Tensor, _ axis: Int, _ offset: Int, _ strides: [Int]) -> TensorLiteral {
            if axis == t.rank { return .number(t.storage[offset]) }
            return .list((0..<t.shape[axis]).map { literal(t, axis + 1, offset + $0 * strides[axis], strides) })
        }
        let parts = values.map { v -> TensorLiteral in
            guard case let .tensor(t) = v else { return .list([]) }
            return literal(t, 0, 0, Shape.strides(t.shape))
        }
        return .tensor(try Tensor(literal: .list(parts)))
    }

    /// Lists inside lists deeper than this are refused: printing and freeing them recurses.
    static let maxListNesting = 100

    /// Throws if `v` nests lists more than ``maxListNesting`` deep (stops looking there).
    static func checkNesting(_ v: Value) throws {
        func depth(_ v: Value, _ level: Int) -> Int {
            guard case let .list(items) = v, level <= maxListNesting else { return level }
            return items.map { depth($0, level + 1) }.max() ?? level + 1
        }
        if depth(v, 0) > maxListNesting {
            throw ScriptError(.limit, "lists nested more than \(maxListNesting) deep are not supported")
        }
    }

    /// Any value that can stand for a tensor: a tensor, a number, a bool, a list of numbers
    /// (nested) or a list of same-shaped tensors (stacked).
    static func toTensor(_ v: Value) throws -> Tensor {
        switch v {
        case let .tensor(t): return t
        case let .number(x): return Tensor(x)
        case let .bool(b): return Tensor(b ? 1 : 0)
        case let .list(items):
            guard !items.isEmpty else { return Tensor([Double]()) }
            let parts = try items.map { try toTensor($0) }
            let shape = parts[0].shape
            guard parts.allSatisfy({ $0.shape == shape }) else {
                throw ScriptError(.shape, "the list's elements have different shapes (\(parts.map { formatShape($0.shape) }.joined(separator: ", ")))")
            }
            return try Tensor.stack(parts)
        default: throw ScriptError(.wrongType, "a \(v.kindName) is not a tensor")
        }
    }

}

extension Interpreter {
    /// `out.trace.f` for a chain of names and members (nil for anything else).
    static func pathText(_ e: Expr) -> String? {
        switch e.kind {
        case let .name(n): return n
        case let .member(base, n): return pathText(base).map { $0 + "." + n }
        default: return nil
        }
    }
}

/// Carries a non-Sendable value across the thread hop in `run` (the caller waits for the thread).
final class UncheckedBox<T>: @unchecked Sendable {
    var value: T?
    init() {}
}
