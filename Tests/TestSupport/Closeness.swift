import Engine

/// Whether every element of `actual` is within `tolerance` of `expected` (absolute, or relative for
/// large values). NaN matches NaN only where `expected` has NaN, and ±∞ matches only itself.
public func valuesClose(_ actual: [Double], _ expected: [Double], tolerance: Double = 1e-12) -> Bool {
    guard actual.count == expected.count else { return false }
    for (a, e) in zip(actual, expected) {
        if e.isNaN { if !a.isNaN { return false }; continue }
        if e.isInfinite { if a != e { return false }; continue }
        if !(Swift.abs(a - e) <= tolerance * Swift.max(1, Swift.abs(e))) { return false }
    }
    return true
}

/// The largest absolute difference between two tensors' elements; ∞ when their shapes differ.
public func maxDifference(_ a: Tensor, _ b: Tensor) -> Double {
    guard a.shape == b.shape else { return .infinity }
    return zip(a.storage, b.storage).map { Swift.abs($0 - $1) }.max() ?? 0
}
