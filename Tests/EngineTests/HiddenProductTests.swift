import Testing
@testable import Engine
import TestSupport

// HiddenProduct.swift: a batch of several sequences multiplies by W_hh through the packed kernel,
// a single sequence through the vector–matrix path. Whichever path a sequence takes, its outputs
// and gradients must be the same numbers: here every sequence of a batch of 11 (kernel blocks of
// 8, 2 and 1 rows) is run again on its own, with hidden sizes that leave a partial last panel.
@Suite struct HiddenProductTests {
    @Test(arguments: [RecurrentKind.rnnTanh, .lstm, .gru])
    func aSequenceGetsTheSameNumbersInABatchAndAlone(kind: RecurrentKind) throws {
        let (T, B, I, H) = (6, 11, 3, 20)
        let layer = try RecurrentLayer(kind, inputSize: I, hiddenSize: H, numLayers: 2, bidirectional: true, seed: 4)
        let x = try gaussian([T, B, I], seed: 8)
        let upstream = try gaussian([T, B, 2 * H], seed: 9)

        // Batched: L = Σ output ⊙ upstream.
        let xb = try x.detach(); xb.requiresGrad = true
        let batched = try layer(xb)
        try (batched.output * upstream).sum().backward()
        let batchedGrads = layer.parameters.map { $0.grad!.storage }
        let batchedInputGrad = xb.grad!.storage
        layer.zeroGrad()

        var summed = layer.parameters.map { [Double](repeating: 0, count: $0.count) }
        for b in 0..<B {
            let xs = try x.index([.all, .slice(start: b, stop: b + 1, step: 1)]).detach(); xs.requiresGrad = true
            let us = try upstream.index([.all, .slice(start: b, stop: b + 1, step: 1)])
            let alone = try layer(xs)
            let inBatch = try batched.output.index([.all, .slice(start: b, stop: b + 1, step: 1)])
            let sameOutput = valuesClose(alone.output.storage, inBatch.storage)
            #expect(sameOutput, "\(kind) sequence \(b): outputs differ")
            try (alone.output * us).sum().backward()
            let column = (0..<T).flatMap { t in (0..<I).map { i in batchedInputGrad[(t * B + b) * I + i] } }
            let sameInputGradient = valuesClose(xs.grad!.storage, column)
            #expect(sameInputGradient, "\(kind) sequence \(b): ∂L/∂x differs")
            for (k, p) in layer.parameters.enumerated() {
                for e in 0..<p.count { summed[k][e] += p.grad!.storage[e] }
            }
            layer.zeroGrad()
        }
        for (k, g) in batchedGrads.enumerated() {
            let sameGradient = valuesClose(g, summed[k], tolerance: 1e-11)
            #expect(sameGradient, "\(kind) \(layer.namedParameters[k].name): batch gradient ≠ sum over sequences")
        }
    }
}

@Suite struct TransposedMatrixTests {
    @Test func tilesOfEightCoverEveryShape() {
        for (rows, columns) in [(1, 1), (13, 21), (8, 16), (3, 40), (64, 7)] {
            let m = (0..<rows * columns).map(Double.init)
            let t = m.withUnsafeBufferPointer { transposedMatrix($0.baseAddress!, rows: rows, columns: columns) }
            let expected = (0..<columns).flatMap { c in (0..<rows).map { r in m[r * columns + c] } }
            #expect(t == expected, "\(rows) × \(columns)")
        }
    }
}
