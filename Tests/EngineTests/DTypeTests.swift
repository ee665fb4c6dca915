import Foundation
import Testing
import CSupport
@testable import Engine

/// Float32 tensors: every result rounded to float32 in one place, PyTorch's promotion rule, the
/// differentiable conversion, and the places that refuse to mix precisions.
@Suite struct DTypeTests {
    /// n float-representable values of mixed sign and magnitude.
    func floats(_ n: Int, seed: UInt64) throws -> [Double] {
        try Tensor.randn([n], seed: seed).storage.enumerated().map { k, v in Double(Float(v * pow(10, Double(k % 7) - 3))) }
    }

    @Test func creationRoundsToFloat32() throws {
        let x = try Tensor(shape: [3], storage: [0.1, 1 + 0x1p-24, 1 + 3 * 0x1p-24], dtype: .float32)
        #expect(x.dtype == .float32)
        #expect(x.storage == [Double(Float(0.1)), 1, 1 + 0x1p-22])  // to nearest, ties to even
        #expect(try Tensor(shape: [1], storage: [1e39], dtype: .float32).storage == [.infinity])
        #expect(try Tensor.zeros([2]).dtype == .float64)
    }

    /// +, −, ×, ÷ formed in Double and rounded once are float32's own results (a Double holds more
    /// than 2·24 + 2 bits): checked against Swift's `Float` arithmetic on 4,000 pairs.
    @Test func arithmeticIsFloat32Arithmetic() throws {
        let a = try floats(1000, seed: 1), b = try floats(1000, seed: 2)
        let x = try Tensor(shape: [1000], storage: a, dtype: .float32)
        let y = try Tensor(shape: [1000], storage: b, dtype: .float32)
        let cases: [(Tensor, (Float, Float) -> Float)] = [
            (try x + y, { $0 + $1 }), (try x - y, { $0 - $1 }), (try x * y, { $0 * $1 }), (try x / y, { $0 / $1 }),
        ]
        for (result, op) in cases {
            #expect(result.dtype == .float32)
            let expected = zip(a, b).map { Double(op(Float($0), Float($1))) }
            #expect(result.storage == expected)
        }
        let r = try Tensor(shape: [1000], storage: a.map { abs($0) }, dtype: .float32).sqrt()
        #expect(r.storage == a.map { Double(Float(abs($0)).squareRoot()) })
    }

    @Test func promotionFollowsPyTorch() throws {
        let x32 = try Tensor(shape: [2], storage: [1, 2], dtype: .float32)
        let x64 = try Tensor(shape: [2], storage: [0.1, 0.2])
        #expect(try (x32 + x64).dtype == .float64)                      // dimensioned float64 widens
        #expect(try (x64 + x32).storage == [1.1, 2.2])
        #expect(try (x32 * Tensor(0.1)).dtype == .float32)               // a scalar does not
        #expect(try (x32 * Tensor(0.1)).storage == [Double(Float(0.1)), Double(Float(2 * Float(0.1)))])
        let s32 = Tensor(2.0).to(.float32)
        #expect(try (s32 * Tensor(0.1)).dtype == .float64)               // scalars among themselves widen
        #expect(try (x32 * x32).sum().dtype == .float32)
        // A number takes the tensor's dtype first (PyTorch casts a Python scalar so): 3·float32(0.3)
        // = 0.90000004, not float32(3·0.3) = 0.9.
        let scaled = try Tensor(shape: [1], storage: [3], dtype: .float32) * 0.3
        #expect(scaled.storage == [Double(Float(3) * Float(0.3))] && Double(Float(3) * Float(0.3)) != Double(Float(3 * 0.3)))
        #expect(try x32.mean().dtype == .float32 && (try x32.sum() / 2).dtype == .float32)
    }

    @Test func conversionIsDifferentiable() throws {
        let x = try Tensor(shape: [3], storage: [0.1, 0.2, 0.3], requiresGrad: true)
        let y = x.to(.float32)
        #expect(y.dtype == .float32 && y.storage == [0.1, 0.2, 0.3].map { Double(Float($0)) })
        #expect(y.to(.float32) === y)                                    // already float32: itself
        let w = try Tensor(shape: [3], storage: [0.1, 1, 3], dtype: .float32)
        try (y * w).sum().backward()
        #expect(x.grad!.dtype == .float64)
        #expect(x.grad!.storage == [Double(Float(0.1)), 1, 3])
        // The other way: the gradient reaching a float32 leaf is rounded to float32.
        let p = try Tensor(shape: [2], storage: [1, 2], dtype: .float32, requiresGrad: true)
        try (p.to(.float64) * Tensor(shape: [2], storage: [0.1, 0.7])).sum().backward()
        #expect(p.grad!.dtype == .float32)
        #expect(p.grad!.storage == [Double(Float(0.1)), Double(Float(0.7))])
    }

    @Test func accumulatedFloat32GradientsStayFloat32() throws {
        let p = try Tensor(shape: [4], storage: try floats(4, seed: 3), dtype: .float32, requiresGrad: true)
        for k in 0..<3 { try (p * p * Tensor(Double(k) + 0.1)).sum().backward() }
        #expect(p.grad!.storage.allSatisfy { Double(Float($0)) == $0 })
        #expect(p.grad!.storage.allSatisfy { $0 != 0 })
    }

    @Test func mixedPrecisionsAreRefusedWhereTheyWouldHideWork() throws {
        let a = try Tensor.zeros([2, 3]).to(.float32), b = try Tensor.zeros([3, 2])
        expectError(containing: ["matmul", "one dtype", "float32", "float64", ".float()"], "matmul") { _ = try a.matmul(b) }
        let layer = try RecurrentLayer(.lstm, inputSize: 3, hiddenSize: 2, dtype: .float32)
        expectError(containing: ["lstm", "float32", "float64"], "lstm input") { _ = try layer(Tensor.zeros([4, 1, 3])) }
        expectError(containing: ["gradcheck", "float64 tool"], "gradcheck") {
            _ = try gradcheck([a.detach()]) { try $0[0].sum() }
        }
    }

    @Test func modulesConvertInPlace() throws {
        let linear = try Linear(inFeatures: 3, outFeatures: 2, seed: 4)
        let before = linear.weight.storage, weight = linear.weight
        linear.convert(to: .float32)
        #expect(linear.weight === weight && linear.dtype == .float32)
        #expect(linear.weight.storage == before.map { Double(Float($0)) })
        let built = try Linear(inFeatures: 3, outFeatures: 2, seed: 4, dtype: .float32)
        #expect(built.weight.storage == linear.weight.storage && built.bias!.dtype == .float32)
        // A float64 state dict loads into a float32 model rounded, as PyTorch's copy_ does.
        try built.loadStateDict(["weight": Tensor(shape: [2, 3], storage: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6]),
                                 "bias": Tensor(shape: [2], storage: [0.7, 0.8])])
        #expect(built.weight.dtype == .float32 && built.weight.storage[0] == Double(Float(0.1)))
        linear.convert(to: .float64)
        #expect(linear.dtype == .float64 && linear.weight.storage == before.map { Double(Float($0)) })
    }

    /// SGD's float32 forms against plain Float loops written from PyTorch's formulas (not from the
    /// C kernel): with and without momentum, weight decay, dampening and Nesterov, over three steps
    /// (the first momentum step takes g itself, later ones μ·b + (1 − τ)·g).
    @Test(arguments: [(0.0, 0.0, 0.0, false), (0.0, 0.01, 0.0, false), (0.9, 0.0, 0.0, false),
                      (0.9, 0.01, 0.25, false), (0.9, 0.01, 0.0, true)])
    func sgdStepsFloat32ParametersAsPlainFloatLoops(momentum: Double, weightDecay: Double, dampening: Double,
                                                    nesterov: Bool) throws {
        let n = 512
        let values = try floats(n, seed: 21), grads = try floats(n, seed: 22).map { Double(Float($0 * 100)) }
        let p = try Tensor(shape: [n], storage: values, dtype: .float32, requiresGrad: true)
        let sgd = try SGD([p], lr: 0.01, momentum: momentum, dampening: dampening, weightDecay: weightDecay, nesterov: nesterov)
        let (lr, mu, wd, keep) = (Float(0.01), Float(momentum), Float(weightDecay), Float(1 - dampening))
        var ep = values.map(Float.init), buffer = [Float](repeating: 0, count: n)
        for step in 0..<3 {
            p.grad = try Tensor(shape: [n], storage: grads)
            try sgd.step()
            for k in 0..<n {
                var g = Float(grads[k])
                if wd != 0 { g = g.addingProduct(wd, ep[k]) }
                if mu != 0 {
                    buffer[k] = step == 0 ? g : (buffer[k] * mu).addingProduct(keep, g)
                    g = nesterov ? g.addingProduct(mu, buffer[k]) : buffer[k]
                }
                ep[k] = ep[k].addingProduct(-lr, g)
            }
            #expect(p.storage == ep.map(Double.init), "step \(step)")
        }
        if momentum != 0 { #expect(sgd.state(of: p)["momentum_buffer"]!.storage == buffer.map(Double.init)) }
    }

    /// Optimizer steps on float32 parameters run in float arithmetic, as PyTorch's float32 kernels
    /// do: SGD's first momentum step is p + (−η)·g fused in float with η rounded to float, to the
    /// bit — which a float64 step rounded once is not (η = 0.01 is not a float) — and Adam's two
    /// steps are the float kernel's, parameter and moments. Everything stays float32.
    @Test func optimizersStepFloat32ParametersInFloat() throws {
        // Many pairs: the two roundings part only where the exact value lies near a rounding boundary.
        let values = try floats(4096, seed: 5), grads = try floats(4096, seed: 6).map { Double(Float($0 * 100)) }
        let p = try Tensor(shape: [4096], storage: values, dtype: .float32, requiresGrad: true)
        p.grad = try Tensor(shape: [4096], storage: grads)
        let sgd = try SGD([p], lr: 0.01, momentum: 0.9)
        try sgd.step()
        let fused = zip(values, grads).map { Double(Float($0).addingProduct(-Float(0.01), Float($1))) }
        let roundedOnce = zip(values, grads).map { Double(Float($0 - 0.01 * $1)) }
        #expect(p.storage == fused)
        #expect(p.storage != roundedOnce)
        #expect(sgd.state(of: p)["momentum_buffer"]!.storage == grads)

        let q = try Tensor(shape: [4096], storage: values, dtype: .float32, requiresGrad: true)
        q.grad = try Tensor(shape: [4096], storage: grads)
        let adam = try Adam([q], lr: 0.01)
        try adam.step(); try adam.step()
        var ep = values, m = [Double](repeating: 0, count: 4096), v = m
        for t in 1...2 {
            let stepSize = 0.01 / (1 - pow(0.9, Double(t))), c2 = pow(1 - pow(0.999, Double(t)), 0.5)
            rnnlab_adam_update_f32(4096, &ep, grads, &m, &v, 0, 1, 0, 0, Float(1 - 0.9), 0.999, Float(1 - 0.999),
                                   Float(stepSize), Float(c2), 1e-8)
        }
        #expect(q.storage == ep)
        #expect(adam.state(of: q)["exp_avg"]!.storage == m)
        #expect(adam.state(of: q)["exp_avg_sq"]!.storage == v)
    }
}

/// A float32 matrix product runs in float32: each element is float32's own fused multiply-add
/// chain over p = 0…k−1 (the engine's one rule for products), not a float64 sum rounded once.
@Test func float32MatmulIsAFloat32Product() throws {
    let (m, k, n) = (5, 37, 7)
    let a = try Tensor.randn([m, k], seed: 11).to(.float32), b = try Tensor.randn([k, n], seed: 12).to(.float32)
    a.requiresGrad = true
    let c = try a.matmul(b)
    #expect(c.dtype == .float32)
    var chain = [Double](), wide = [Double]()
    for i in 0..<m {
        for j in 0..<n {
            var s: Float = 0, d = 0.0
            for p in 0..<k {
                s = s.addingProduct(Float(a.storage[i * k + p]), Float(b.storage[p * n + j]))
                d += a.storage[i * k + p] * b.storage[p * n + j]
            }
            chain.append(Double(s)); wide.append(Double(Float(d)))
        }
    }
    #expect(c.storage == chain)
    #expect(c.storage != wide)   // a float64 sum rounded once would differ somewhere in 35 sums of 37 terms
    try c.sum().backward()
    #expect(a.grad!.dtype == .float32)
    // ∂(ΣC)/∂A = 1·Bᵀ: row sums of B, each a float32 chain of 7 ones times B's elements.
    let rowSums = (0..<k).map { p in Double((0..<n).reduce(Float(0)) { $0.addingProduct(1, Float(b.storage[p * n + $1])) }) }
    #expect(Array(a.grad!.storage[0..<k]) == rowSums)
}
