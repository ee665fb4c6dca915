import Engine
import Foundation
import Script

/// How the learner's result differs from the reference's, in one sentence about the first
/// difference: "your c differs at [0, 1]: 0.3121 vs 0.2884 (3 of 6 elements differ)".
///
/// Unlike a question's diagnosis, the reference's numbers are shown: a case is a random input the
/// learner can load (`:case`) and compute by hand, so its expected value gives nothing away but
/// where to look — and the reference's code is never shown.
enum ExerciseComparison {
    /// nil when every output matches. `returns` names the outputs.
    static func difference(_ actual: Value, _ expected: Value, returns: [String], tolerance: Tolerance) -> String? {
        let whole = returns.count == 1 ? returns[0] : "[" + returns.joined(separator: ", ") + "]"
        if case .none = actual {
            return "your function returned nothing (none): it should return \(whole) — is a `return` missing?"
        }
        guard returns.count > 1 else { return describe(actual, expected, name: returns[0], tolerance: tolerance) }
        let parts: [Value]
        switch actual {
        case let .list(items): parts = items
        case let .tensor(t) where t.rank >= 1 && t.shape[0] == returns.count:
            parts = (0..<returns.count).compactMap { try? t.select([$0], axis: 0).squeeze(0) }.map(Value.tensor)
        default:
            return "your function returned a \(actual.kindName); it should return the list \(whole)"
        }
        guard parts.count == returns.count else {
            return "your function returned a list of \(parts.count); it should return \(whole)"
        }
        let wanted: [Value]
        if case let .list(items) = expected, items.count == returns.count { wanted = items } else { return nil }
        for (k, name) in returns.enumerated() {
            guard let d = describe(parts[k], wanted[k], name: name, tolerance: tolerance) else { continue }
            // The right values in the wrong places: say so rather than "differs".
            if let j = returns.indices.first(where: { $0 != k && describe(parts[k], wanted[$0], name: name, tolerance: tolerance) == nil }) {
                return "your \(name) is what \(returns[j]) should be: are the outputs in the wrong order? It should return \(whole)"
            }
            return d
        }
        return nil
    }

    /// One named value against the reference's.
    static func describe(_ actual: Value, _ expected: Value, name: String, tolerance: Tolerance) -> String? {
        let yours = "your \(name)"
        switch (actual, expected) {
        case let (.list(a), .list(b)):
            guard a.count == b.count else { return "\(yours) is a list of \(a.count); it should be a list of \(b.count)" }
            for k in a.indices {
                if let d = describe(a[k], b[k], name: "\(name)[\(k)]", tolerance: tolerance) { return d }
            }
            return nil
        case let (.list(a), .tensor):
            guard let numbers = ValueComparison.scalars(a) else { return "\(yours) is a list; it should be a tensor" }
            return describe(.tensor(Tensor(numbers)), expected, name: name, tolerance: tolerance)
        case let (.tensor, .list(b)):
            guard let numbers = ValueComparison.scalars(b) else { return "\(yours) is a tensor; it should be a list" }
            return describe(actual, .tensor(Tensor(numbers)), name: name, tolerance: tolerance)
        case let (.tensor(t), .number(b)) where t.count == 1:
            return describe(.number(t.storage[0]), .number(b), name: name, tolerance: tolerance)
        case let (.number(a), .tensor(t)) where t.count == 1:
            return describe(.number(a), .number(t.storage[0]), name: name, tolerance: tolerance)
        case let (.number(a), .number(b)):
            if tolerance.accepts(a, b) { return nil }
            let (x, y) = distinct(a, b)
            return "\(yours) is \(x); it should be \(y)"
        case let (.tensor(a), .tensor(b)):
            return tensors(a, b, yours: yours, tolerance: tolerance)
        default:
            guard let d = ValueComparison.difference(actual, expected, tolerance: tolerance) else { return nil }
            if actual.kindName != expected.kindName { return "\(yours) is a \(actual.kindName); it should be a \(expected.kindName)" }
            return "\(yours) differs: \(d)"
        }
    }

    static func tensors(_ a: Tensor, _ b: Tensor, yours: String, tolerance: Tolerance) -> String? {
        guard a.shape == b.shape else {
            var text = "\(yours) has shape \(ValueComparison.formatShape(a.shape)); it should have shape \(ValueComparison.formatShape(b.shape))"
            if a.rank == 2, b.rank == 2, ValueComparison.isTranspose(a, of: b, tolerance: tolerance) { text += " — it is the transpose" }
            else if a.shape.filter({ $0 != 1 }) == b.shape.filter({ $0 != 1 }) {
                text += a.rank < b.rank ? " — an axis of length 1 is missing" : a.rank > b.rank ? " — it has an extra axis of length 1" : " — its axes of length 1 are elsewhere"
            }
            return text
        }
        let differing = (0..<a.count).filter { !tolerance.accepts(a.storage[$0], b.storage[$0]) }
        guard let first = differing.first else { return nil }
        let (x, y) = distinct(a.storage[first], b.storage[first])
        var text = "\(yours) differs at \(ValueComparison.index(first, shape: a.shape)): \(x) vs \(y)"
        if a.count > 1 {
            text += differing.count == a.count ? " (all \(a.count) elements differ" : " (\(differing.count) of \(a.count) elements differ"
            if a.rank == 2, a.shape[0] == a.shape[1], ValueComparison.isTranspose(a, of: b, tolerance: tolerance) {
                text += "; it is the transpose"
            } else if let c = ValueComparison.constantFactor(a, b, tolerance: tolerance) {
                text += tolerance.accepts(c, -1) ? "; every sign is flipped" : "; it is the answer × \(ValueComparison.short(c))"
            }
            text += ")"
        }
        return text
    }

    /// Two numbers with as many significant digits as it takes to tell them apart (at least 4):
    /// `0.3121 vs 0.2884`, but `0.50000012 vs 0.5` when they are that close.
    static func distinct(_ a: Double, _ b: Double) -> (String, String) {
        guard a.isFinite, b.isFinite else { return (formatNumber(a), formatNumber(b)) }
        for digits in 4...17 {
            let x = shortest(a, digits), y = shortest(b, digits)
            if x != y { return (x, y) }
        }
        return (formatNumber(a), formatNumber(b))
    }

    static func shortest(_ x: Double, _ digits: Int) -> String {
        if x == x.rounded(), Swift.abs(x) < 1e15 { return formatNumber(x) }
        return String(format: "%.\(digits)g", x)
    }
}
