import Engine
import Script

/// One seeded case of an exercise: the arguments the learner's function and the reference are
/// called with, and the sizes that name it in messages ("with batch 1, hidden 2").
public struct ExerciseCase {
    /// 0-based; messages count from 1 ("case 3 of 20").
    public var index: Int
    public var count: Int
    public var sizes: [(name: String, value: Double)]
    public var arguments: [Value]

    /// "with batch 1, hidden 2 (case 3 of 20)".
    public var about: String {
        let listed = sizes.map { "\($0.name) \(formatNumber($0.value))" }.joined(separator: ", ")
        return (listed.isEmpty ? "" : "with \(listed) ") + "(case \(index + 1) of \(count))"
    }

    /// A fresh copy of the arguments: every call gets its own tensors, so a function that
    /// changes an argument in place (`h += …`) cannot change what the other side is given.
    public func freshArguments(requiringGrad: Bool = false) -> [Value] {
        arguments.map { ExerciseCase.copy($0, requiringGrad: requiringGrad) }
    }

    public static func copy(_ value: Value, requiringGrad: Bool) -> Value {
        switch value {
        case let .tensor(t):
            guard let c = try? Tensor(shape: t.shape, storage: Array(t.storage), requiresGrad: requiringGrad) else { return value }
            return .tensor(c)
        case let .list(items):
            return .list(items.map { copy($0, requiringGrad: requiringGrad) })
        case let .record(r):
            return .record(Record(title: r.title, fields: r.fields.map { ($0.name, copy($0.value, requiringGrad: requiringGrad)) }))
        default:
            return value
        }
    }

    /// Reads what the `cases` function returned for case `index`: `record(sizes: record(…), args: list(…))`.
    static func read(_ value: Value, index: Int, count: Int) -> Result<ExerciseCase, ExerciseSetupError> {
        func bad(_ what: String) -> Result<ExerciseCase, ExerciseSetupError> {
            .failure(ExerciseSetupError("case \(index + 1): the cases function should return record(sizes: record(…), args: list(…)); \(what)"))
        }
        guard case let .record(r) = value else { return bad("it returned a \(value.kindName)") }
        guard let argsValue = r["args"] else { return bad("it has no 'args'") }
        let arguments: [Value]
        switch argsValue {
        case let .list(items): arguments = items
        case let .tensor(t) where t.rank == 1: arguments = t.storage.map { .number($0) }
        default: return bad("'args' is a \(argsValue.kindName), not a list")
        }
        var sizes: [(name: String, value: Double)] = []
        if let s = r["sizes"] {
            guard case let .record(sr) = s else { return bad("'sizes' is a \(s.kindName), not a record") }
            for (name, v) in sr.fields {
                switch v {
                case let .number(x): sizes.append((name, x))
                case let .tensor(t) where t.count == 1: sizes.append((name, t.storage[0]))
                default: return bad("the size '\(name)' is a \(v.kindName), not a number")
                }
            }
        }
        return .success(ExerciseCase(index: index, count: count, sizes: sizes, arguments: arguments))
    }
}

/// A problem with the lesson's exercise itself (its cases or reference fail): the lesson's
/// fault, reported by `rnnlab check` and, should it reach a learner, said to be the lesson's.
public struct ExerciseSetupError: Error, Sendable, Equatable {
    public var message: String
    public init(_ message: String) { self.message = message }
}
