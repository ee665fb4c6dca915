import Foundation
import Testing
@testable import Engine

/// A whole ``RecurrentLayer`` written again with ``ComposedCells``: every step of every layer and
/// direction is a handful of ordinary tensor operations, so both its forward values and (through
/// the generic autodiff) its gradients are independent of the fused sequence kernels.
///
/// Works on sequence-first batched input (T, B, I); the layer must have biases and run without
/// dropout (dropout 0, or `training = false`). Each hₜ (and cₜ) is kept, so tests can compare them
/// with a trace or call `retainGrad()` on them before `backward()`.
struct ComposedRun {
    /// (T, B, D·H): the last layer's states, forward direction first.
    let output: Tensor
    /// (L·D, B, H) final states, layer-major.
    let hn: Tensor
    /// (L·D, B, H) LSTM final cell states.
    let cn: Tensor?
    /// states[layer][direction][t] = hₜ (B, H), in time order (also for the reverse direction).
    let states: [[[Tensor]]]
    /// cells[layer][direction][t] = cₜ (B, H) for the LSTM, empty otherwise.
    let cells: [[[Tensor]]]
    /// The (T, B, In) input each layer read.
    let layerInputs: [Tensor]
    /// hₜ₋₁ / cₜ₋₁ as seen by step t of (layer, direction): the initial state for the first
    /// processed step, otherwise the neighbour in processing order.
    let initialStates: [[Tensor]]
    let initialCells: [[Tensor]]

    func previousState(layer: Int, direction: Int, t: Int) -> Tensor {
        let T = states[layer][direction].count
        if direction == 0 { return t == 0 ? initialStates[layer][direction] : states[layer][direction][t - 1] }
        return t == T - 1 ? initialStates[layer][direction] : states[layer][direction][t + 1]
    }

    func previousCell(layer: Int, direction: Int, t: Int) -> Tensor {
        let T = cells[layer][direction].count
        if direction == 0 { return t == 0 ? initialCells[layer][direction] : cells[layer][direction][t - 1] }
        return t == T - 1 ? initialCells[layer][direction] : cells[layer][direction][t + 1]
    }
}

/// One step of `kind` with ``ComposedCells``; returns (hₜ, cₜ).
func composedStep(_ kind: RecurrentKind, x: Tensor, h: Tensor, c: Tensor?, _ p: DirectionParameters) throws -> (h: Tensor, c: Tensor?) {
    let bih = try #require(p.biasIH), bhh = try #require(p.biasHH)
    switch kind {
    case .rnnTanh, .rnnReLU:
        return (try ComposedCells.rnnStep(x: x, h: h, weightIH: p.weightIH, weightHH: p.weightHH,
                                          biasIH: bih, biasHH: bhh, relu: kind == .rnnReLU), nil)
    case .lstm:
        let r = try ComposedCells.lstmStep(x: x, h: h, c: try #require(c), weightIH: p.weightIH, weightHH: p.weightHH,
                                           biasIH: bih, biasHH: bhh)
        return (r.h, r.c)
    case .gru:
        return (try ComposedCells.gruStep(x: x, h: h, weightIH: p.weightIH, weightHH: p.weightHH,
                                          biasIH: bih, biasHH: bhh), nil)
    }
}

/// Runs `layer`'s stack with composed cells on x (T, B, I), using the layer's own parameter tensors.
func composedForward(_ layer: RecurrentLayer, _ x: Tensor, h0: Tensor? = nil, c0: Tensor? = nil) throws -> ComposedRun {
    precondition(x.rank == 3, "composedForward takes (T, B, I)")
    let (T, B, H, D) = (x.shape[0], x.shape[1], layer.hiddenSize, layer.directions)
    var input = x
    var states: [[[Tensor]]] = [], cells: [[[Tensor]]] = [], inputs: [Tensor] = []
    var initialStates: [[Tensor]] = [], initialCells: [[Tensor]] = []
    var finalH: [Tensor] = [], finalC: [Tensor] = []
    for k in 0..<layer.numLayers {
        inputs.append(input)
        var layerStates: [[Tensor]] = [], layerCells: [[Tensor]] = [], outputs: [Tensor] = []
        var layerH0: [Tensor] = [], layerC0: [Tensor] = []
        for d in 0..<D {
            let p = layer.weights[k][d]
            var h = try h0?[k * D + d] ?? Tensor.zeros([B, H])
            var c: Tensor? = layer.kind == .lstm ? try c0?[k * D + d] ?? Tensor.zeros([B, H]) : nil
            layerH0.append(h)
            if let c { layerC0.append(c) }
            var hs = [Tensor?](repeating: nil, count: T), cs = [Tensor?](repeating: nil, count: T)
            for t in (d == 0 ? Array(0..<T) : Array((0..<T).reversed())) {
                (h, c) = try composedStep(layer.kind, x: try input[t], h: h, c: c, p)
                hs[t] = h
                cs[t] = c
            }
            finalH.append(h)
            if let c { finalC.append(c) }
            let stepStates = hs.map { $0! }
            layerStates.append(stepStates)
            layerCells.append(layer.kind == .lstm ? cs.map { $0! } : [])
            outputs.append(try Tensor.stack(stepStates))
        }
        states.append(layerStates)
        cells.append(layerCells)
        initialStates.append(layerH0)
        initialCells.append(layerC0)
        input = D == 1 ? outputs[0] : try Tensor.concat(outputs, axis: 2)
    }
    return ComposedRun(output: input, hn: try Tensor.stack(finalH), cn: layer.kind == .lstm ? try Tensor.stack(finalC) : nil,
                       states: states, cells: cells, layerInputs: inputs,
                       initialStates: initialStates, initialCells: initialCells)
}

/// Standard-normal test data with a fixed seed.
func randomTensor(_ shape: [Int], seed: UInt64, scale: Double = 1, requiresGrad: Bool = false) throws -> Tensor {
    let t = try Tensor.randn(shape, std: scale, seed: seed)
    t.requiresGrad = requiresGrad
    return t
}

/// The message of the error `body` throws, or nil when it does not throw.
func thrownMessage(_ body: () throws -> Void) -> String? {
    do {
        try body()
        return nil
    } catch {
        return "\(error)"
    }
}

/// Records an issue unless `body` throws an error whose message contains every one of `fragments`.
func expectError(
    containing fragments: [String], _ what: String, sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () throws -> Void
) {
    guard let message = thrownMessage(body) else {
        Issue.record("\(what): expected an error, but none was thrown", sourceLocation: sourceLocation)
        return
    }
    for fragment in fragments where !message.contains(fragment) {
        Issue.record("\(what): error message \"\(message)\" does not mention \"\(fragment)\"", sourceLocation: sourceLocation)
    }
}
