import Engine
import Script

/// How a wrong expression answer differs from the key, in words that help without giving the key
/// away: a shape that differs, the answer transposed, every sign flipped, the answer times a
/// constant, or how many elements differ and where the first one is. The key's numbers appear only
/// when `revealing` (the last try): before that the learner sees their own value's numbers at most.
extension ValueComparison {
    /// nil when `actual` matches `expected`; otherwise a sentence about "your value".
    public static func diagnosis(_ actual: Value, _ expected: Value, tolerance: Tolerance = Tolerance(),
                                 revealing: Bool = false, path: String = "") -> String? {
        let yours = path.isEmpty ? "your value" : "your value at \(path)"
        switch (actual, expected) {
        case let (.number(a), .number(b)):
            return numberDiagnosis(a, b, tolerance: tolerance, revealing: revealing, yours: yours)
        case let (.tensor(t), .number(b)) where t.count == 1 && t.rank == 0:
            return numberDiagnosis(t.storage[0], b, tolerance: tolerance, revealing: revealing, yours: yours)
        case let (.number(a), .tensor(t)) where t.count == 1 && t.rank == 0:
            return numberDiagnosis(a, t.storage[0], tolerance: tolerance, revealing: revealing, yours: yours)
        case let (.tensor(a), .tensor(b)):
            return tensorDiagnosis(a, b, tolerance: tolerance, revealing: revealing, yours: yours)
        case let (.list(a), .tensor):
            guard let numbers = scalars(a) else { return "\(yours) is a list; the answer is a tensor" }
            return diagnosis(.tensor(Tensor(numbers)), expected, tolerance: tolerance, revealing: revealing, path: path)
        case let (.tensor, .list(b)):
            guard let numbers = scalars(b) else { return "\(yours) is a tensor; the answer is a list" }
            return diagnosis(actual, .tensor(Tensor(numbers)), tolerance: tolerance, revealing: revealing, path: path)
        case let (.list(a), .list(b)):
            guard a.count == b.count else {
                return "\(yours) is a list of \(a.count); the answer is a list of \(b.count)"
            }
            for (k, (x, y)) in zip(a, b).enumerated() {
                if let d = diagnosis(x, y, tolerance: tolerance, revealing: revealing, path: path + "[\(k)]") { return d }
            }
            return nil
        case let (.record(a), .record(b)):
            let names = a.fields.map(\.name), expectedNames = b.fields.map(\.name)
            guard Set(names) == Set(expectedNames) else {
                return "\(yours) has the members (\(names.joined(separator: ", "))); the answer has (\(expectedNames.joined(separator: ", ")))"
            }
            for (name, y) in b.fields {
                guard let x = a[name] else { continue }
                if let d = diagnosis(x, y, tolerance: tolerance, revealing: revealing, path: path + "." + name) { return d }
            }
            return nil
        case let (.string(a), .string(b)):
            if a == b { return nil }
            return revealing ? "\(yours) is \"\(a)\"; the answer is \"\(b)\"" : "\(yours) is \"\(a)\", a different text"
        case let (.bool(a), .bool(b)):
            if a == b { return nil }
            return "\(yours) is \(a); the answer is \(b)"
        default:
            // Anything else (models, functions, none…) compares as before, without numbers in it.
            guard difference(actual, expected, tolerance: tolerance) != nil else { return nil }
            if actual.kindName == expected.kindName { return "\(yours) is a different \(actual.kindName)" }
            return "\(yours) is a \(actual.kindName); the answer is a \(expected.kindName)"
        }
    }

    static func numberDiagnosis(_ a: Double, _ b: Double, tolerance: Tolerance, revealing: Bool, yours: String) -> String? {
        if tolerance.accepts(a, b) { return nil }
        if revealing { return "\(yours) is \(short(a)); the answer is \(short(b))" }
        if b != 0, tolerance.accepts(-a, b) { return "\(yours) is \(short(a)): the sign is flipped" }
        return "\(yours) is \(short(a)), which is not the answer"
    }

    static func tensorDiagnosis(_ a: Tensor, _ b: Tensor, tolerance: Tolerance, revealing: Bool, yours: String) -> String? {
        guard a.shape == b.shape else {
            if a.rank == 2, b.rank == 2, a.shape == [b.shape[1], b.shape[0]], isTranspose(a, of: b, tolerance: tolerance) {
                return "\(yours) is the answer transposed"
            }
            return "\(yours) has shape \(formatShape(a.shape)); the answer has shape \(formatShape(b.shape))"
        }
        let differing = (0..<a.count).filter { !tolerance.accepts(a.storage[$0], b.storage[$0]) }
        guard let first = differing.first else { return nil }
        if a.count == 1 {
            return numberDiagnosis(a.storage[0], b.storage[0], tolerance: tolerance, revealing: revealing, yours: yours)
        }
        if !revealing {
            if a.rank == 2, a.shape[0] == a.shape[1], a.shape[0] > 1, isTranspose(a, of: b, tolerance: tolerance) {
                return "\(yours) is the answer transposed"
            }
            if let factor = constantFactor(a, b, tolerance: tolerance) {
                if factor == -1 || tolerance.accepts(factor, -1) { return "\(yours) is the answer with every sign flipped" }
                return "\(yours) is the answer × \(short(factor))"
            }
        }
        let count = differing.count < a.count ? "\(differing.count) of \(a.count) elements differ"
            : a.count == 2 ? "both elements differ" : "all \(a.count) elements differ"
        var text = "\(yours): \(count), the first at \(index(first, shape: a.shape))"
        if revealing {
            text += " (yours is \(short(a.storage[first])), the answer's is \(short(b.storage[first])))"
        }
        return text
    }

    /// True when `a` is `b` with rows and columns swapped (both of rank 2).
    static func isTranspose(_ a: Tensor, of b: Tensor, tolerance: Tolerance) -> Bool {
        let rows = b.shape[0], cols = b.shape[1]
        guard a.shape == [cols, rows] else { return false }
        for i in 0..<rows {
            for j in 0..<cols where !tolerance.accepts(a.storage[j * rows + i], b.storage[i * cols + j]) { return false }
        }
        return true
    }

    /// The c with a = c · b everywhere (c ≠ 1), when there is one and `b` has at least two non-zero
    /// elements (with one, every wrong value would be "a multiple" and the factor the answer).
    static func constantFactor(_ a: Tensor, _ b: Tensor, tolerance: Tolerance) -> Double? {
        let nonZero = (0..<b.count).filter { b.storage[$0] != 0 && !tolerance.accepts(0, b.storage[$0]) }
        guard nonZero.count >= 2, let k = nonZero.first else { return nil }
        let c = a.storage[k] / b.storage[k]
        guard c.isFinite, c != 0, !tolerance.accepts(c, 1) else { return nil }
        for i in 0..<a.count where !tolerance.accepts(a.storage[i], c * b.storage[i]) { return nil }
        return c
    }
}
