import Engine
import Foundation
import Script

/// Where an exercise is proved: a private interpreter holding the lesson's cases, its hidden
/// reference and its worked solution, and the rule that holds a learner's function to them.
///
/// **The check.** For k = 0, 1, …, count − 1 the cases function gives seeded arguments; the
/// reference and the learner's function are each called with a fresh copy, and their results
/// compared output by output (`ExerciseComparison`). With `gradients`, each tensor argument is
/// made a leaf and L = Σⱼ sum(outⱼ ⊙ Rⱼ), with Rⱼ fixed random weights, is backpropagated through
/// the learner's function and through the solution; ∂L/∂arg must agree. The first case that fails
/// is the verdict, so the learner sees one small, reproducible input.
///
/// **Why a private interpreter.** The reference runs where the learner's variables cannot reach:
/// a learner who defines their own `tanh` changes their function, never the yardstick.
public final class ExerciseBench {
    public let exercise: Exercise
    let engine: Interpreter
    /// The files the lesson's code here may read (it writes none).
    let access: FileAccessPolicy
    let caseFunction: Value
    let reference: Value
    let solution: Value
    /// The solution's parameter names: the signature the learner's function must have.
    public let parameters: [String]
    /// How long one call may take (the learner's function, the reference, the cases function).
    public var secondsPerCase: Double = 5
    /// When every call stops, whatever is left of `secondsPerCase`: `rnnlab check` bounds the
    /// whole proof of an exercise by the lesson's time limit with it.
    public var overallDeadline: Date?
    /// True once `overallDeadline` has passed.
    public var pastOverallDeadline: Bool { overallDeadline.map { Date() >= $0 } ?? false }

    /// Evaluates the exercise's cases, reference and solution. `access`: the files they may read
    /// (a lesson's keys read as its cells do, and write nothing).
    public init(_ exercise: Exercise, access: FileAccessPolicy = .noFiles) throws(ExerciseSetupError) {
        self.exercise = exercise
        self.access = access
        let engine = Interpreter()
        self.engine = engine
        func value(_ what: String, _ source: String) throws(ExerciseSetupError) -> Value {
            let run = engine.withFileAccess(access) { engine.run(source, file: what, showingResults: false) }
            if let e = run.error { throw ExerciseSetupError("the exercise's \(what) fails: \(e.message)") }
            guard let v = run.values.last?.value, Interpreter.isFunction(v) else {
                throw ExerciseSetupError("the exercise's \(what) should be an expression whose value is a function")
            }
            return v
        }
        caseFunction = try value("cases", "(" + exercise.cases + "\n)")
        reference = try value("reference", "(" + exercise.reference + "\n)")
        solution = try value("solution", "(fn() {\n" + exercise.solution + "\nreturn \(exercise.function)\n})()")
        guard case let .function(f) = solution else { throw ExerciseSetupError("the exercise's solution does not define \(exercise.function)") }
        parameters = f.parameterNames
    }

    /// The signature the learner writes: `lstm_step(x, h, c, W_ih, W_hh, b_ih, b_hh)`.
    public var signature: String { "\(exercise.function)(\(parameters.joined(separator: ", ")))" }

    /// Case `k`, freshly made by the lesson's cases function.
    public func makeCase(_ k: Int) -> Result<ExerciseCase, ExerciseSetupError> {
        switch timed([engine], { engine.call(caseFunction, arguments: [.number(Double(k))]) }) {
        case let .failure(e): return .failure(ExerciseSetupError("case \(k + 1): the cases function fails: \(e.message)"))
        case let .success(v): return ExerciseCase.read(v, index: k, count: exercise.count)
        }
    }

    /// The reference's value on a case (a fresh copy of its arguments).
    public func expected(for c: ExerciseCase) -> Result<Value, ExerciseSetupError> {
        timed([engine], { engine.call(reference, arguments: c.freshArguments()) })
            .mapError { ExerciseSetupError("\(c.about): the exercise's reference fails: \($0.message)") }
    }

    /// Runs `source` (the learner's code: their `def`, and any helpers) in `interpreter` — their
    /// session, so what they define stays there — then checks the function it defines.
    public func check(source: String, file: String, in interpreter: Interpreter) -> ExerciseResult {
        let name = exercise.function
        let run = interpreter.run(source, file: file, firstLine: 1, showingResults: false)
        if let e = run.error {
            return ExerciseResult(kind: e.kind == .interrupted ? .interrupted : .raised,
                                  message: e.kind == .interrupted ? "stopped before \(name) was defined" : e.message, error: e)
        }
        guard let defined = interpreter.global(name) else {
            return ExerciseResult(kind: .notDefined, message: "the code does not define \(name): write `def \(signature) { … }`")
        }
        return check(defined, in: interpreter)
    }

    /// Holds `function` (a value in `interpreter`) to the reference on every case.
    public func check(_ function: Value, in interpreter: Interpreter) -> ExerciseResult {
        let name = exercise.function
        guard case let .function(f) = function else {
            return ExerciseResult(kind: .notDefined, message: "\(name) is a \(function.kindName), not a function: write `def \(signature) { … }`")
        }
        guard f.parameterNames.count == parameters.count else {
            let n = f.parameterNames.count
            return ExerciseResult(kind: .notDefined, message: "your \(name) takes \(n) argument\(n == 1 ? "" : "s") (\(f.parameterNames.joined(separator: ", "))); it should take \(parameters.count): \(signature)")
        }
        let tolerance = Tolerance(atol: exercise.tolerance.atol, rtol: exercise.tolerance.rtol)
        for k in 0..<exercise.count {
            let c: ExerciseCase
            switch makeCase(k) {
            case let .failure(e): return ExerciseResult(kind: .lessonProblem, message: e.message, casesPassed: k)
            case let .success(made): c = made
            }
            if let failure = checkCase(c, function: function, in: interpreter, tolerance: tolerance) {
                var r = failure
                r.casesPassed = k
                r.failingCase = c
                return r
            }
        }
        return ExerciseResult(kind: .passed, message: "all \(exercise.count) cases match\(exercise.gradients ? ", values and gradients" : "")", casesPassed: exercise.count)
    }

    /// nil when case `c` passes.
    func checkCase(_ c: ExerciseCase, function: Value, in interpreter: Interpreter, tolerance: Tolerance) -> ExerciseResult? {
        let expected: Value
        switch timed([engine], { engine.call(reference, arguments: c.freshArguments()) }) {
        case let .failure(e):
            return ExerciseResult(kind: .lessonProblem, message: "\(c.about): the exercise's reference fails: \(e.message)")
        case let .success(v): expected = v
        }
        let actual: Value
        switch timed([interpreter], { interpreter.call(function, arguments: c.freshArguments()) }) {
        case let .failure(e): return failure(e, in: c)
        case let .success(v): actual = v
        }
        if let d = ExerciseComparison.difference(actual, expected, returns: exercise.returns, tolerance: tolerance) {
            var message = "\(c.about): \(d)"
            if gives(templateFunction, actual, on: c, tolerance: tolerance) {
                message += ". That is what the template gives: its body is still to be written"
            } else if let mistake = knownMistake(matching: actual, on: c, tolerance: tolerance) {
                message += ". That is what the mistake “\(mistake)” gives"
            }
            return ExerciseResult(kind: .wrongValue, message: message)
        }
        guard exercise.gradients else { return nil }
        return gradientFailure(c, function: function, in: interpreter, tolerance: tolerance)
    }

    /// The lesson's listed wrong solutions, defined in the private interpreter on first use.
    private lazy var wrongFunctions: [(mistake: String, function: Value)] = exercise.wrong.compactMap { w in
        define(w.code, file: "wrong").map { (w.mistake, $0) }
    }

    /// The template as given, before the learner writes anything.
    private lazy var templateFunction: Value? = define(exercise.template, file: "template")

    /// The function a `def` of the exercise's function defines, in the private interpreter, each
    /// in its own scope so the template and the wrong solutions do not replace one another.
    private func define(_ code: String, file: String) -> Value? {
        let run = engine.withFileAccess(access) {
            engine.run("(fn() {\n" + code + "\nreturn \(exercise.function)\n})()", file: file, showingResults: false)
        }
        guard run.error == nil, let f = run.values.last?.value, Interpreter.isFunction(f) else { return nil }
        return f
    }

    /// Whether `f` gives the learner's result on case `c`.
    private func gives(_ f: Value?, _ actual: Value, on c: ExerciseCase, tolerance: Tolerance) -> Bool {
        guard let f, case let .success(v) = timed([engine], { engine.call(f, arguments: c.freshArguments()) }) else { return false }
        return ExerciseComparison.difference(actual, v, returns: exercise.returns, tolerance: tolerance) == nil
    }

    /// The listed mistake whose result on case `c` is the learner's, when one is: naming it
    /// tells the learner what went wrong in the words the lesson uses, without the fix. A result
    /// that the untouched template also gives is not a mistake's (the checker says so first): a
    /// learner who has not started must not be told of an error they did not make.
    func knownMistake(matching actual: Value, on c: ExerciseCase, tolerance: Tolerance) -> String? {
        wrongFunctions.first { gives($0.function, actual, on: c, tolerance: tolerance) }?.mistake
    }

    func failure(_ e: ScriptError, in c: ExerciseCase) -> ExerciseResult {
        if e.kind == .interrupted {
            if pastOverallDeadline {
                return ExerciseResult(kind: .timeLimit, message: "\(c.about): stopped at the time limit of the whole check", error: e)
            }
            if lastTimedOut {
                return ExerciseResult(kind: .timeLimit, message: "\(c.about): your \(exercise.function) ran longer than \(formatNumber(secondsPerCase)) s and was stopped — does a loop never end?", error: e)
            }
            return ExerciseResult(kind: .interrupted, message: "\(c.about): stopped (Ctrl-C)", error: e)
        }
        return ExerciseResult(kind: .raised, message: "\(c.about): your \(exercise.function) failed: \(e.message)", error: e)
    }

    // MARK: gradients

    /// ∂L/∂(each tensor argument) through `function` in `interpreter`, L = Σⱼ sum(outⱼ ⊙ Rⱼ).
    /// Arguments that are not tensors get nil; a tensor that no gradient reaches gets nil too.
    func gradients(of function: Value, in interpreter: Interpreter, case c: ExerciseCase) -> Result<[Tensor?], ScriptError> {
        let arguments = c.freshArguments(requiringGrad: true)
        let output: Value
        switch timed([interpreter], { interpreter.call(function, arguments: arguments) }) {
        case let .failure(e): return .failure(e)
        case let .success(v): output = v
        }
        do {
            if let loss = try weightedSum(ExerciseBench.tensors(in: output), seed: UInt64(c.index)), loss.requiresGrad {
                try loss.backward()
            }
        } catch {
            return .failure(ScriptError.from(error))
        }
        return .success(arguments.map { if case let .tensor(t) = $0 { t.grad } else { nil } })
    }

    /// Σⱼ sum(tⱼ ⊙ Rⱼ) with Rⱼ ~ N(0, 1) seeded by the case and j: a scalar whose gradient mixes
    /// every output element, so no element's gradient can hide behind another's.
    func weightedSum(_ outputs: [Tensor], seed: UInt64) throws -> Tensor? {
        var total: Tensor?
        for (j, t) in outputs.enumerated() {
            let r = try Tensor.randn(t.shape, seed: 7_000_003 &* (seed &+ 1) &+ UInt64(j))
            let term = try (t * r).sum()
            total = try total.map { try $0 + term } ?? term
        }
        return total
    }

    /// The tensors of a result in order (a tensor, a list of them, nested lists).
    static func tensors(in value: Value) -> [Tensor] {
        switch value {
        case let .tensor(t): [t]
        case let .list(items): items.flatMap { tensors(in: $0) }
        case let .number(x): [Tensor(x)]
        default: []
        }
    }

    func gradientFailure(_ c: ExerciseCase, function: Value, in interpreter: Interpreter, tolerance: Tolerance) -> ExerciseResult? {
        let theirs: [Tensor?]
        switch gradients(of: function, in: interpreter, case: c) {
        case let .failure(e): return failure(e, in: c)
        case let .success(g): theirs = g
        }
        let ours: [Tensor?]
        switch gradients(of: solution, in: engine, case: c) {
        case let .failure(e): return ExerciseResult(kind: .lessonProblem, message: "\(c.about): the exercise's solution fails under autodiff: \(e.message)")
        case let .success(g): ours = g
        }
        for (k, name) in parameters.enumerated() where k < ours.count {
            guard case let .tensor(arg) = c.arguments[k] else { continue }
            let expected = ours[k] ?? (try? Tensor.zeros(arg.shape)) ?? Tensor(0)
            guard let got = theirs[k] else {
                if expected.storage.allSatisfy({ tolerance.accepts(0, $0) }) { continue }
                return ExerciseResult(kind: .wrongGradient, message: "\(c.about): your values are right, but no gradient reaches \(name) through your \(exercise.function) — part of it is computed where autodiff cannot follow (detach, no_grad, a tensor rebuilt from its numbers, or results written into a zeros tensor with out[t] = … — collect them in a list and stack instead)")
            }
            if let d = ExerciseComparison.tensors(got, expected, yours: "∂L/∂\(name)", tolerance: tolerance) {
                return ExerciseResult(kind: .wrongGradient, message: "\(c.about): your values are right, but the gradient differs: \(d), with L = Σ outputs ⊙ fixed random weights")
            }
        }
        return nil
    }

    // MARK: time

    private var lastTimedOut = false

    /// Runs `body` with the interpreters stopped after `secondsPerCase` (Ctrl-C still stops them).
    func timed<T>(_ interpreters: [Interpreter], _ body: () -> T) -> T {
        let deadline = Deadline()
        let seconds = max(0, min(secondsPerCase, overallDeadline.map { $0.timeIntervalSinceNow } ?? secondsPerCase))
        let saved = interpreters.map(\.isCancelled)
        for (i, saved) in zip(interpreters, saved) { i.isCancelled = { saved() || deadline.passed } }
        defer { for (i, saved) in zip(interpreters, saved) { i.isCancelled = saved } }
        let result = deadline.enforce(seconds: seconds, body)
        lastTimedOut = deadline.passed
        return result
    }
}

extension Interpreter {
    static func isFunction(_ v: Value) -> Bool {
        switch v {
        case .function, .builtin: true
        default: false
        }
    }
}
