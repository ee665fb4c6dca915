import Engine
import Script

/// How close two numbers must be: |actual − expected| ≤ atol + rtol·|expected| (NumPy's `isclose`).
public struct Tolerance: Sendable, Equatable {
    public var atol: Double
    public var rtol: Double
    public init(atol: Double = 1e-6, rtol: Double = 1e-6) { self.atol = atol; self.rtol = rtol }

    public func accepts(_ actual: Double, _ expected: Double) -> Bool {
        if actual.isNaN || expected.isNaN { return actual.isNaN && expected.isNaN }
        if actual.isInfinite || expected.isInfinite { return actual == expected }
        return Swift.abs(actual - expected) <= atol + rtol * Swift.abs(expected)
    }
}

/// Compares two values of the language by value: numbers within a tolerance, tensors elementwise
/// (shapes must match; a number and a one-element tensor of rank 0 are the same), lists and
/// records member by member, strings, bools and `none` exactly; models, optimizers and functions
/// only when they are the same object.
public enum ValueComparison {
    /// Six significant digits: a learner compares 0.225534 with 1, not seventeen digits.
    static func short(_ x: Double) -> String {
        guard x.isFinite else { return formatNumber(x) }
        if x == x.rounded(), Swift.abs(x) < 1e15 { return formatNumber(x) }
        return String(format: "%.6g", x)
    }

    /// nil when `actual` matches `expected`; otherwise a sentence saying where they differ.
    public static func difference(_ actual: Value, _ expected: Value, tolerance: Tolerance = Tolerance(), path: String = "") -> String? {
        let at = path.isEmpty ? "" : " at \(path)"
        switch (actual, expected) {
        case let (.number(a), .number(b)):
            return tolerance.accepts(a, b) ? nil : "\(short(a))\(at) where \(short(b)) was expected"
        case let (.tensor(t), .number(b)) where t.count == 1 && t.rank == 0:
            return difference(.number(t.storage[0]), .number(b), tolerance: tolerance, path: path)
        case let (.number(a), .tensor(t)) where t.count == 1 && t.rank == 0:
            return difference(.number(a), .number(t.storage[0]), tolerance: tolerance, path: path)
        case let (.tensor(a), .tensor(b)):
            guard a.shape == b.shape else {
                return "shape \(formatShape(a.shape))\(at) where \(formatShape(b.shape)) was expected"
            }
            if a.rank == 0, let x = a.storage.first, let y = b.storage.first {
                return tolerance.accepts(x, y) ? nil : "\(short(x))\(at) where \(short(y)) was expected"
            }
            for k in 0..<a.count where !tolerance.accepts(a.storage[k], b.storage[k]) {
                return "element \(index(k, shape: a.shape))\(at) is \(short(a.storage[k])) where \(short(b.storage[k])) was expected"
            }
            return nil
        case let (.list(a), .tensor(_)):
            // A list of numbers stands for a vector wherever a tensor is expected.
            guard let numbers = scalars(a) else { return "a list\(at) where a tensor was expected" }
            return difference(.tensor(Tensor(numbers)), expected, tolerance: tolerance, path: path)
        case let (.tensor(_), .list(b)):
            guard let numbers = scalars(b) else { return "a tensor\(at) where a list was expected" }
            return difference(actual, .tensor(Tensor(numbers)), tolerance: tolerance, path: path)
        case let (.list(a), .list(b)):
            guard a.count == b.count else { return "a list of \(a.count)\(at) where a list of \(b.count) was expected" }
            for (k, (x, y)) in zip(a, b).enumerated() {
                if let d = difference(x, y, tolerance: tolerance, path: path + "[\(k)]") { return d }
            }
            return nil
        case let (.record(a), .record(b)):
            let names = a.fields.map(\.name), expectedNames = b.fields.map(\.name)
            guard Set(names) == Set(expectedNames) else {
                return "members (\(names.joined(separator: ", ")))\(at) where (\(expectedNames.joined(separator: ", "))) were expected"
            }
            for (name, y) in b.fields {
                guard let x = a[name] else { continue }
                if let d = difference(x, y, tolerance: tolerance, path: path + "." + name) { return d }
            }
            return nil
        case let (.string(a), .string(b)):
            return a == b ? nil : "\"\(a)\"\(at) where \"\(b)\" was expected"
        case let (.bool(a), .bool(b)):
            return a == b ? nil : "\(a)\(at) where \(b) was expected"
        case (.none, .none):
            return nil
        case let (.model(a), .model(b)) where a === b: return nil
        case let (.optimizer(a), .optimizer(b)) where a === b: return nil
        case let (.function(a), .function(b)) where a === b: return nil
        case let (.builtin(a), .builtin(b)) where a === b: return nil
        default:
            if actual.kindName == expected.kindName { return "a different \(actual.kindName)\(at)" }
            return "a \(actual.kindName)\(at) where a \(expected.kindName) was expected"
        }
    }

    public static func matches(_ actual: Value, _ expected: Value, tolerance: Tolerance = Tolerance()) -> Bool {
        difference(actual, expected, tolerance: tolerance) == nil
    }

    /// The numbers of a list of numbers (or one-element rank-0 tensors); nil otherwise.
    static func scalars(_ items: [Value]) -> [Double]? {
        var out: [Double] = []
        for item in items {
            switch item {
            case let .number(x): out.append(x)
            case let .tensor(t) where t.count == 1 && t.rank == 0: out.append(t.storage[0])
            default: return nil
            }
        }
        return out
    }

    static func formatShape(_ shape: [Int]) -> String {
        "(" + shape.map(String.init).joined(separator: ", ") + (shape.count == 1 ? ",)" : ")")
    }

    /// The multi-index of flat position `k` in a row-major tensor: [1, 2].
    static func index(_ k: Int, shape: [Int]) -> String {
        var rest = k
        var parts: [Int] = []
        for d in shape.reversed() {
            parts.append(d == 0 ? 0 : rest % d)
            rest = d == 0 ? 0 : rest / d
        }
        return "[" + parts.reversed().map(String.init).joined(separator: ", ") + "]"
    }
}

extension Value {
    var isNumber: Bool { if case .number = self { true } else { false } }
    var numberValue: Double? { if case let .number(x) = self { x } else { nil } }
}
