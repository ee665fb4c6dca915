import Foundation
import Testing
@testable import Engine

/// Central-difference checks of the fused recurrent backward (BPTT written by hand in
/// RecurrentSequence.swift) for every cell kind and every layer configuration, with respect to the
/// input, the initial states and every parameter.
///
/// Sizes are tiny (I = 2, H = 3, T = 4, B = 2) so the ~2 forward passes per checked element stay
/// fast in a debug build.
@Suite struct RecurrentGradCheckTests {
    /// Which of the layer's results the checked function returns.
    enum LossUse: String, Sendable {
        case output = "output"
        case finalStates = "hn/cn only"
        case both = "output + hn/cn"
    }

    struct Configuration: Sendable, CustomTestStringConvertible {
        var layers = 1
        var bidirectional = false
        var batchFirst = false
        var unbatched = false
        var initialState = true
        var use = LossUse.both

        var testDescription: String {
            var parts = ["\(layers) layer\(layers == 1 ? "" : "s")"]
            if bidirectional { parts.append("bidirectional") }
            if batchFirst { parts.append("batch-first") }
            if unbatched { parts.append("unbatched (T, I)") }
            parts.append(initialState ? "with h0/c0" : "no h0/c0")
            parts.append("loss on \(use.rawValue)")
            return parts.joined(separator: ", ")
        }
    }

    static let configurations: [Configuration] = [
        Configuration(),
        Configuration(initialState: false, use: .output),
        Configuration(use: .finalStates),
        Configuration(layers: 2),
        Configuration(layers: 2, initialState: false, use: .finalStates),
        Configuration(bidirectional: true),
        Configuration(bidirectional: true, initialState: false, use: .output),
        Configuration(bidirectional: true, use: .finalStates),
        Configuration(layers: 2, bidirectional: true),
        Configuration(layers: 2, bidirectional: true, initialState: false, use: .finalStates),
        Configuration(layers: 2, batchFirst: true),
        Configuration(bidirectional: true, batchFirst: true, initialState: false, use: .both),
        Configuration(unbatched: true),
        Configuration(layers: 2, bidirectional: true, unbatched: true, initialState: false, use: .finalStates),
    ]

    static let (I, H, T, B) = (2, 3, 4, 2)

    @Test(arguments: RecurrentKind.allCases, configurations)
    func fusedBackwardMatchesFiniteDifferences(_ kind: RecurrentKind, _ config: Configuration) throws {
        let (I, H, T, B) = (Self.I, Self.H, Self.T, Self.B)
        let layer = try RecurrentLayer(kind, inputSize: I, hiddenSize: H, numLayers: config.layers,
                                       batchFirst: config.batchFirst, bidirectional: config.bidirectional, seed: 11)
        let stateCount = config.layers * layer.directions
        let inputShape = config.unbatched ? [T, I] : (config.batchFirst ? [B, T, I] : [T, B, I])
        let stateShape = config.unbatched ? [stateCount, H] : [stateCount, B, H]

        // Data; for the ReLU cell, a seed whose pre-activations all stay clear of the kink at 0, so
        // that no ±ε perturbation crosses it, and where every step of every sequence keeps at least
        // one unit active, so that gradients reach h0 and x at all (with H = 3 a whole step can die).
        var dataSeed: UInt64 = 100
        func makeData(_ seed: UInt64) throws -> (x: Tensor, h0: Tensor?, c0: Tensor?) {
            let x = try randomTensor(inputShape, seed: seed)
            let h0 = config.initialState ? try randomTensor(stateShape, seed: seed + 1, scale: 0.5) : nil
            let c0 = config.initialState && kind == .lstm ? try randomTensor(stateShape, seed: seed + 2, scale: 0.5) : nil
            return (x, h0, c0)
        }
        var data = try makeData(dataSeed)
        if kind == .rnnReLU {
            var tries = 0
            while try !reluDataIsUsable(layer, data.x, data.h0) {
                tries += 1
                try #require(tries < 5000, "no data seed keeps the ReLU pre-activations away from 0")
                dataSeed += 10
                data = try makeData(dataSeed)
            }
        }

        var inputs: [Tensor] = [data.x]
        if let h0 = data.h0 { inputs.append(h0) }
        if let c0 = data.c0 { inputs.append(c0) }
        inputs += layer.parameters
        #expect(layer.parameters.count == 4 * stateCount)

        let result = try gradcheck(inputs) { xs in
            let out = try layer(xs[0], h0: data.h0 == nil ? nil : xs[1], c0: data.c0 == nil ? nil : xs[2])
            var pieces: [Tensor] = []
            if config.use != .finalStates { pieces.append(out.output.flatten()) }
            if config.use != .output {
                pieces.append(out.hn.flatten())
                if let cn = out.cn { pieces.append(cn.flatten()) }
            }
            return try Tensor.concat(pieces)
        }
        let names = ["x"] + (data.h0 == nil ? [] : ["h0"]) + (data.c0 == nil ? [] : ["c0"]) + layer.namedParameters.map(\.name)
        let worstName = result.worst.map { names[$0.input] } ?? "-"
        #expect(result.passed, "\(kind) \(config.testDescription): \(result) (worst input: \(worstName))")

        // Every input really received a gradient (none silently skipped): gradcheck stores them as .grad.
        for (n, t) in inputs.enumerated() {
            let g = try #require(t.grad, "no gradient for \(names[n])")
            #expect(g.storage.contains { $0 != 0 }, "\(names[n]): gradient is identically zero")
        }
    }

    /// ReLU RNN data is usable for a finite-difference check when every pre-activation aₜ is at least
    /// 1e-3 away from the kink at 0 and every (layer, direction, step, sequence) has an active unit.
    private func reluDataIsUsable(_ layer: RecurrentLayer, _ x: Tensor, _ h0: Tensor?) throws -> Bool {
        let trace = RecurrentTrace()
        _ = try GradMode.withoutGrad { try layer(x, h0: h0, trace: trace) }
        let H = layer.hiddenSize
        for entry in trace.forward {
            let a = try #require(entry.tensor("a")).storage
            if a.contains(where: { Swift.abs($0) <= 1e-3 }) { return false }
            for row in stride(from: 0, to: a.count, by: H) where !a[row..<(row + H)].contains(where: { $0 > 0 }) {
                return false
            }
        }
        return true
    }

    /// An LSTM given only one of h0 and c0 (the other starts at zero): the fused node's inputs and
    /// returned gradients must stay paired up.
    @Test(arguments: [true, false])
    func lstmWithOnlyOneInitialState(_ givesH0: Bool) throws {
        let layer = try RecurrentLayer(.lstm, inputSize: 2, hiddenSize: 3, numLayers: 2, bidirectional: true, seed: 13)
        let x = try randomTensor([4, 2, 2], seed: 61)
        let state = try randomTensor([4, 2, 3], seed: 62, scale: 0.5)
        let result = try gradcheck([x, state] + layer.parameters) { xs in
            let out = try layer(xs[0], h0: givesH0 ? xs[1] : nil, c0: givesH0 ? nil : xs[1])
            return try Tensor.concat([out.output.flatten(), out.hn.flatten(), try #require(out.cn).flatten()])
        }
        #expect(result.passed, "LSTM with only \(givesH0 ? "h0" : "c0"): \(result)")
        #expect(try #require(state.grad).storage.contains { $0 != 0 })
    }

    /// Without biases the layer has only W_ih and W_hh, and they are checked just the same.
    @Test(arguments: RecurrentKind.allCases)
    func withoutBiases(_ kind: RecurrentKind) throws {
        let layer = try RecurrentLayer(kind, inputSize: 2, hiddenSize: 3, numLayers: 2, bias: false,
                                       bidirectional: true, seed: 5)
        #expect(layer.namedParameters.map(\.name) == [
            "weight_ih_l0", "weight_hh_l0", "weight_ih_l0_reverse", "weight_hh_l0_reverse",
            "weight_ih_l1", "weight_hh_l1", "weight_ih_l1_reverse", "weight_hh_l1_reverse",
        ])
        var x = try randomTensor([3, 2, 2], seed: 77)
        if kind == .rnnReLU {
            var seed: UInt64 = 77
            while try !reluDataIsUsable(layer, x, nil) {
                seed += 1
                try #require(seed < 5000, "no data seed keeps the ReLU pre-activations away from 0")
                x = try randomTensor([3, 2, 2], seed: seed)
            }
        }
        let result = try gradcheck([x] + layer.parameters) { xs in
            let out = try layer(xs[0])
            return try Tensor.concat([out.output.flatten(), out.hn.flatten()])
        }
        #expect(result.passed, "\(kind) without bias: \(result)")
    }
}
