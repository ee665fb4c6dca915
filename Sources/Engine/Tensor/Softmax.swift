import Foundation

/// softmax and log-softmax along an axis, computed stably by subtracting the maximum first.
extension Tensor {
    /// softmax(x)ᵢ = exp(xᵢ − m) / Σⱼ exp(xⱼ − m) with m = maxⱼ xⱼ. Backward: y ⊙ (g − Σ g⊙y).
    public func softmax(axis: Int = -1) throws -> Tensor {
        let L = try ReductionLayout(shape, axis: axis, keepdims: true, op: "softmax")
        var y = storage
        for o in 0..<L.outer { for i in 0..<L.inner {
            var m = -Double.infinity
            for k in 0..<L.length { m = Swift.max(m, y[L.offset(o, k, i)]) }
            var s = 0.0
            for k in 0..<L.length { let j = L.offset(o, k, i); y[j] = Foundation.exp(y[j] - m); s += y[j] }
            for k in 0..<L.length { y[L.offset(o, k, i)] /= s }
        } }
        return Tensor.result(shape: shape, storage: y, op: "softmax", inputs: [self], backward: { [y] g in
            var gx = [Double](repeating: 0, count: y.count)
            for o in 0..<L.outer { for i in 0..<L.inner {
                var dot = 0.0
                for k in 0..<L.length { let j = L.offset(o, k, i); dot += g[j] * y[j] }
                for k in 0..<L.length { let j = L.offset(o, k, i); gx[j] = y[j] * (g[j] - dot) }
            } }
            return [gx]
        })
    }

    /// log softmax(x)ᵢ = xᵢ − m − log Σⱼ exp(xⱼ − m). Backward: g − softmax ⊙ Σ g.
    public func logSoftmax(axis: Int = -1) throws -> Tensor {
        let L = try ReductionLayout(shape, axis: axis, keepdims: true, op: "logSoftmax")
        var y = storage
        for o in 0..<L.outer { for i in 0..<L.inner {
            var m = -Double.infinity
            for k in 0..<L.length { m = Swift.max(m, y[L.offset(o, k, i)]) }
            var s = 0.0
            for k in 0..<L.length { s += Foundation.exp(y[L.offset(o, k, i)] - m) }
            let logZ = m + Foundation.log(s)
            for k in 0..<L.length { y[L.offset(o, k, i)] -= logZ }
        } }
        return Tensor.result(shape: shape, storage: y, op: "logSoftmax", inputs: [self], backward: { [y] g in
            var gx = [Double](repeating: 0, count: y.count)
            for o in 0..<L.outer { for i in 0..<L.inner {
                var total = 0.0
                for k in 0..<L.length { total += g[L.offset(o, k, i)] }
                for k in 0..<L.length { let j = L.offset(o, k, i); gx[j] = g[j] - Foundation.exp(y[j]) * total }
            } }
            return [gx]
        })
    }
}
