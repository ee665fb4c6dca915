/// The loop behind every broadcasting operation.
///
/// NumPy broadcasting reads a smaller operand repeatedly along axes where it has size 1. Giving
/// those axes stride 0 turns that into ordinary strided reading, so one loop serves forward passes
/// (`out[o] = f(a[i], b[j])`) and backward passes (`ga[i] += …`, which sums the gradient over
/// the broadcast axes exactly as the chain rule requires).
@usableFromInline
struct BroadcastPlan {
    let shape: [Int]
    let strideA: [Int]
    let strideB: [Int]
    /// True when neither operand is broadcast, so offsets are just `o`.
    let contiguous: Bool

    init(_ a: [Int], _ b: [Int], op: String) throws {
        shape = try Shape.broadcast(a, b, op: op)
        strideA = Shape.broadcastStrides(a, to: shape)
        strideB = Shape.broadcastStrides(b, to: shape)
        contiguous = a == shape && b == shape
    }

    /// Calls `body(o, i, j)` for every output offset `o` with the matching offsets `i` into A and `j` into B.
    ///
    /// Stops part-way when Ctrl-C is pending (checked every ``Cancellation/chunk`` elements, see
    /// ``Cancellation``); callers check ``Cancellation/check()`` before using what `body` wrote.
    @inline(__always)
    func forEach(_ body: (Int, Int, Int) -> Void) {
        let n = Shape.count(shape)
        if n == 0 { return }
        if contiguous {
            Cancellation.forEachChunkUnlessCancelled(n) { range in for o in range { body(o, o, o) } }
            return
        }
        let rank = shape.count
        if rank == 0 { body(0, 0, 0); return }
        let inner = shape[rank - 1], sa = strideA[rank - 1], sb = strideB[rank - 1]
        var index = [Int](repeating: 0, count: rank)
        var offA = 0, offB = 0, o = 0, sinceCheck = 0
        while o < n {
            for k in 0..<inner { body(o + k, offA + k * sa, offB + k * sb) }
            o += inner
            sinceCheck += inner
            if sinceCheck >= Cancellation.chunk {
                if Cancellation.isRequested { return }
                sinceCheck = 0
            }
            var d = rank - 2
            while d >= 0 {
                index[d] += 1
                offA += strideA[d]
                offB += strideB[d]
                if index[d] < shape[d] { break }
                offA -= strideA[d] * shape[d]
                offB -= strideB[d] * shape[d]
                index[d] = 0
                d -= 1
            }
        }
    }
}
