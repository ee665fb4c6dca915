import Engine
import Foundation
import Script

/// What `rnnlab check` proves about an exercise, so a learner is never graded by a broken one:
/// - its cases are at least `count`, deterministic (made twice, equal), every size takes at least
///   two values and a size named batch or hidden takes the value 1 (the edge cases of shapes);
/// - the worked solution, run as a learner's code in a fresh session, passes every case — values
///   against the hidden reference and, with `gradients`, gradients; and the solution's autodiff
///   gradients agree with central finite differences on the first cases, so the gradient yardstick
///   is itself checked by an independent computation;
/// - the template and every listed wrong solution fail (by a value, a gradient or an error — never
///   by the lesson's own cases or reference failing).
enum ExerciseProof {
    /// `seconds`: how long the whole proof may take (the lesson's `cell_seconds`). Everything the
    /// lesson wrote — cases, reference, solution, template, wrong solutions — runs under
    /// `keyAccess`: reading as the lesson's keys may, writing nothing.
    static func problems(_ exercise: Exercise, keyAccess: FileAccessPolicy, seconds: Double = 60) -> [String] {
        let bench: ExerciseBench
        do { bench = try ExerciseBench(exercise, access: keyAccess) } catch { return [error.message] }
        bench.overallDeadline = Date().addingTimeInterval(seconds)
        let found = prove(exercise, bench, keyAccess: keyAccess)
        if bench.pastOverallDeadline {
            return ["proving the exercise took longer than \(formatNumber(seconds)) s (the lesson's limit)"]
        }
        return found
    }

    static func prove(_ exercise: Exercise, _ bench: ExerciseBench, keyAccess: FileAccessPolicy) -> [String] {
        var found: [String] = []
        // The cases.
        var cases: [ExerciseCase] = []
        for k in 0..<exercise.count {
            switch (bench.makeCase(k), bench.makeCase(k)) {
            case let (.failure(e), _), let (_, .failure(e)): return found + [e.message]
            case let (.success(a), .success(b)):
                if !same(.list(a.arguments), .list(b.arguments)) {
                    return found + ["case \(k + 1) is not the same when made twice: give every random draw a seed: derived from k"]
                }
                if a.arguments.count != bench.parameters.count {
                    return found + ["case \(k + 1) has \(a.arguments.count) arguments but \(bench.signature) takes \(bench.parameters.count)"]
                }
                cases.append(a)
            }
        }
        let names = cases.first.map { $0.sizes.map(\.name) } ?? []
        for name in names {
            let values = Set(cases.compactMap { c in c.sizes.first { $0.name == name }?.value })
            if values.count < 2 { found.append("the size '\(name)' is the same in every case: vary it, so a shape mistake shows") }
            if ["batch", "hidden"].contains(name), !values.contains(1) {
                found.append("no case has \(name) 1: include it (a broadcast or transpose mistake often hides at other sizes)")
            }
        }
        // The solution, as a learner would submit it.
        let learner = Interpreter()
        let passed = learner.withFileAccess(keyAccess) { bench.check(source: exercise.solution, file: "solution", in: learner) }
        if !passed.passed { found.append("the worked solution does not pass: \(passed.message)") }
        if exercise.gradients, passed.passed {
            for c in cases.prefix(3) {
                if let p = finiteDifferenceProblem(bench, c) { found.append(p); break }
            }
        }
        // The template and the wrong solutions must fail, for a reason of their own.
        func mustFail(_ what: String, _ source: String) {
            let learner = Interpreter()
            let r = learner.withFileAccess(keyAccess) { bench.check(source: source, file: what, in: learner) }
            switch r.kind {
            case .passed: found.append("\(what) passes every case: it should fail")
            case .lessonProblem: found.append("\(what): the exercise itself fails: \(r.message)")
            case .notDefined: found.append("\(what) does not define \(exercise.function) as the learner must: \(r.message)")
            case .timeLimit, .interrupted: found.append("\(what) ran past the time a case may take")
            case .wrongValue, .wrongGradient, .raised: break
            }
        }
        mustFail("the template", exercise.template)
        for w in exercise.wrong { mustFail("the wrong solution '\(w.mistake)'", w.code) }
        return found
    }

    /// Exactly equal arguments: numbers and tensors bit for bit, lists and records member by
    /// member, models by kind, sizes and every parameter's values (a model built afresh for
    /// each call is the same model when its weights are).
    static func same(_ a: Value, _ b: Value) -> Bool {
        switch (a, b) {
        case let (.model(x), .model(y)):
            let p = x.module.parameters, q = y.module.parameters
            return x.summary == y.summary && p.count == q.count
                && zip(p, q).allSatisfy { $0.shape == $1.shape && $0.storage == $1.storage }
        case let (.list(x), .list(y)):
            return x.count == y.count && zip(x, y).allSatisfy { same($0, $1) }
        case let (.record(x), .record(y)):
            return x.fields.map(\.name) == y.fields.map(\.name) && zip(x.fields, y.fields).allSatisfy { same($0.value, $1.value) }
        default:
            return ValueComparison.difference(a, b, tolerance: Tolerance(atol: 0, rtol: 0)) == nil
        }
    }

    /// The solution's autodiff gradient of L = Σ outputs ⊙ R against central differences,
    /// (L(a + εeᵢ) − L(a − εeᵢ)) / 2ε with ε = 1e-6, for every element of every tensor argument.
    static func finiteDifferenceProblem(_ bench: ExerciseBench, _ c: ExerciseCase) -> String? {
        let engine = bench.engine
        guard case let .success(autodiff) = bench.gradients(of: bench.solution, in: engine, case: c) else {
            return "\(c.about): the solution fails under autodiff"
        }
        func loss(_ arguments: [Value]) -> Double? {
            guard case let .success(out) = bench.timed([engine], { engine.call(bench.solution, arguments: arguments) }),
                  let l = try? bench.weightedSum(ExerciseBench.tensors(in: out), seed: UInt64(c.index)) else { return nil }
            return l.storage.first
        }
        let eps = 1e-6
        for (k, name) in bench.parameters.enumerated() {
            guard case let .tensor(arg) = c.arguments[k] else { continue }
            for i in 0..<arg.count {
                var plus = c.freshArguments(), minus = c.freshArguments()
                guard case let .tensor(p) = plus[k], case let .tensor(m) = minus[k] else { continue }
                p.storage[i] += eps; m.storage[i] -= eps
                plus[k] = .tensor(p); minus[k] = .tensor(m)
                guard let lp = loss(plus), let lm = loss(minus) else { return "\(c.about): the solution fails on a nudged input" }
                let fd = (lp - lm) / (2 * eps)
                let ad = autodiff[k]?.storage[i] ?? 0
                if Swift.abs(fd - ad) > 1e-6 + 1e-5 * Swift.abs(fd) {
                    return "\(c.about): the solution's gradient for \(name) at flat index \(i) is \(ValueComparison.short(ad)) by autodiff but \(ValueComparison.short(fd)) by finite differences"
                }
            }
        }
        return nil
    }
}
