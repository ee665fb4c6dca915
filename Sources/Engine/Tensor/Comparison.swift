/// Comparisons (1 where true, 0 where false) and `where`, with broadcasting.
///
/// Comparisons are steps, so no gradient flows through them; `where` passes the gradient to
/// whichever branch each element was taken from.
extension Tensor {
    public enum Comparison: String, Sendable, CaseIterable {
        case equal = "==", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
        func holds(_ a: Double, _ b: Double) -> Bool {
            switch self {
            case .equal: a == b
            case .notEqual: a != b
            case .less: a < b
            case .lessOrEqual: a <= b
            case .greater: a > b
            case .greaterOrEqual: a >= b
            }
        }
    }

    /// Elementwise comparison; the result is a constant 0/1 mask.
    public func compare(_ other: Tensor, _ comparison: Comparison) throws -> Tensor {
        let plan = try BroadcastPlan(shape, other.shape, op: "compare \(comparison.rawValue)")
        let a = storage, b = other.storage
        var out = [Double](repeating: 0, count: Shape.count(plan.shape))
        plan.forEach { o, i, j in out[o] = comparison.holds(a[i], b[j]) ? 1 : 0 }
        return Tensor(uncheckedShape: plan.shape, storage: out)
    }

    /// `condition ? a : b` elementwise (non-zero counts as true), all three broadcast together.
    public static func `where`(_ condition: Tensor, _ a: Tensor, _ b: Tensor) throws -> Tensor {
        let ab = try BroadcastPlan(a.shape, b.shape, op: "where")
        let shape = try Shape.broadcast(condition.shape, ab.shape, op: "where")
        // Read every operand through broadcast strides onto the common shape.
        let viewC = StridedView(shape: shape, strides: Shape.broadcastStrides(condition.shape, to: shape), offset: 0)
        let viewA = StridedView(shape: shape, strides: Shape.broadcastStrides(a.shape, to: shape), offset: 0)
        let viewB = StridedView(shape: shape, strides: Shape.broadcastStrides(b.shape, to: shape), offset: 0)
        let mask = viewC.gather(condition.storage).map { $0 != 0 }
        let av = viewA.gather(a.storage), bv = viewB.gather(b.storage)
        let out = mask.indices.map { mask[$0] ? av[$0] : bv[$0] }
        let (na, nb) = (a.count, b.count)
        return result(shape: shape, storage: out, op: "where", inputs: [a, b], backward: { g in
            let ga = mask.indices.map { mask[$0] ? g[$0] : 0 }
            let gb = mask.indices.map { mask[$0] ? 0 : g[$0] }
            return [viewA.scatterAdd(ga, sourceCount: na), viewB.scatterAdd(gb, sourceCount: nb)]
        })
    }
}
