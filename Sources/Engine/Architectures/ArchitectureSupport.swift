// What the architectures in this folder share: the recurrent state they carry between calls,
// the handling of input layouts, PyTorch-style parameter names and seeding.
//
// Every architecture is a ``Module`` made of named sub-modules (`embedding`, `rnn`, `head`, …).
// Its ``Module/namedParameters`` list each sub-module's parameters under `"<attribute>.<name>"`,
// exactly the keys of `state_dict()` for a PyTorch `nn.Module` with attributes of those names:
//
//     class Classifier(nn.Module):            # rnnlab: SequenceClassifier
//         def __init__(self):
//             self.embedding = nn.Embedding(V, E)  # "embedding.weight"
//             self.rnn = nn.LSTM(E, H)             # "rnn.weight_ih_l0", "rnn.weight_hh_l0", …
//             self.head = nn.Linear(H, C)          # "head.weight", "head.bias"
//
// Internally every architecture works *time-major*, (T, B, F), the recurrent layer's own layout;
// `batchFirst` inputs are transposed on the way in and results on the way out, and a missing batch
// axis (one sequence) is added and removed again, so callers may use whichever layout they like.

/// The classic recurrent sequence model: token ids embedded (or feature vectors read as they
/// are), a recurrent layer, and a linear head on its states —
///
///     xₜ → [embedding] → hₜ = cell(xₜ, hₜ₋₁) → yₜ = W_y hₜ + b_y
///
/// The classifier (a head on the last or mean state), the tagger and the generator (a head at
/// every step) differ only in where the head reads; what they share is written once against this.
public protocol RecurrentNetworkWithHead: Module {
    var embedding: Embedding? { get }
    var rnn: RecurrentLayer { get }
    var head: Linear { get }
}

/// The state a recurrent network carries from one call to the next: h (and c for the LSTM),
/// each (L·D, B, H) — layers·directions, batch, hidden — or (L·D, H) for a single sequence.
public struct RecurrentState {
    public var h: Tensor
    public var c: Tensor?

    public init(h: Tensor, c: Tensor? = nil) {
        self.h = h
        self.c = c
    }

    /// The same values cut from the graph: how a state crosses a truncated-BPTT boundary, or how
    /// sampling keeps the graph from growing with every generated token.
    public func detached() -> RecurrentState { RecurrentState(h: h.detach(), c: c?.detach()) }
}

/// How the caller laid out a sequence batch, so results can be handed back the same way.
struct SequenceLayout {
    let batchFirst: Bool
    /// A single sequence without a batch axis: (T, F), or (T) for token ids.
    let unbatched: Bool

    /// Time-major (T, B, F) result → the caller's layout.
    func sequence(_ y: Tensor) throws -> Tensor {
        if unbatched { return try y.squeeze(1) }
        return batchFirst ? try y.transpose(0, 1) : y
    }

    /// (B, F) result → (F) for a single sequence.
    func batch(_ y: Tensor) throws -> Tensor { unbatched ? try y.squeeze(0) : y }

    /// A caller's state → (L·D, B, H).
    func stateIn(_ s: RecurrentState?) throws -> RecurrentState? {
        guard let s, unbatched else { return s }
        return RecurrentState(h: try s.h.unsqueeze(1), c: try s.c?.unsqueeze(1))
    }

    /// (L·D, B, H) → the caller's state layout.
    func stateOut(_ s: RecurrentState) throws -> RecurrentState {
        guard unbatched else { return s }
        return RecurrentState(h: try s.h.squeeze(1), c: try s.c?.squeeze(1))
    }
}

/// Helpers shared by the architectures (a namespace, so the names stay out of the module's way).
enum ArchitectureSupport {
    /// Token ids (T, B) or features (T, B, I) — (B, T…) when `batchFirst`, or without B for one
    /// sequence — → time-major (T, B, F), embedded when there is an embedding.
    static func prepare(_ x: Tensor, embedding: Embedding?, inputSize: Int, batchFirst: Bool,
                        op: String) throws -> (input: Tensor, layout: SequenceLayout) {
        let batchedRank = embedding == nil ? 3 : 2
        let expected = embedding == nil
            ? (batchFirst ? "(B, T, \(inputSize))" : "(T, B, \(inputSize))") + " or (T, \(inputSize)) features"
            : (batchFirst ? "(B, T)" : "(T, B)") + " or (T) token ids"
        guard x.rank == batchedRank || x.rank == batchedRank - 1 else {
            throw TensorError.invalidArgument(op: op, message: "input must be \(expected), got shape \(formatShape(x.shape))")
        }
        if embedding == nil, x.shape.last != inputSize {
            throw TensorError.invalidArgument(op: op, message: "input must be \(expected), got shape \(formatShape(x.shape))")
        }
        let layout = SequenceLayout(batchFirst: batchFirst, unbatched: x.rank == batchedRank - 1)
        var ids = layout.unbatched ? try x.unsqueeze(1) : (batchFirst ? try x.transpose(0, 1) : x)
        if let embedding { ids = try embedding(ids) }
        guard ids.shape[0] > 0, ids.shape[1] > 0 else {
            throw TensorError.invalidArgument(op: op, message: "needs at least one step and one sequence, got shape \(formatShape(x.shape))")
        }
        return (ids, layout)
    }

    /// Token ids as a (T, B) tensor, checked against the vocabulary so the message names the token.
    static func tokenTensor(_ rows: [[Int]], vocabulary: Int, op: String) throws -> Tensor {
        for row in rows {
            for id in row where id < 0 || id >= vocabulary {
                throw TensorError.invalidArgument(op: op, message: "token id \(id) is out of range 0..<\(vocabulary)")
            }
        }
        let steps = rows.count, batch = rows.first?.count ?? 0
        return try Tensor(shape: [steps, batch], storage: rows.flatMap { $0.map(Double.init) })
    }

    /// `(prefix.name, tensor)` for each sub-module, in attribute order (PyTorch's `state_dict` order).
    static func parameters(_ parts: [(String, Module?)]) -> [(name: String, tensor: Tensor)] {
        parts.flatMap { prefix, module in
            (module?.namedParameters ?? []).map { (name: "\(prefix).\($0.name)", tensor: $0.tensor) }
        }
    }

    /// Independent seeds for the sub-modules, drawn from one seed: giving every part the same seed
    /// would start them from identical random streams (correlated weights).
    static func seeds(_ seed: UInt64, count: Int) -> [UInt64] {
        var g = RandomGenerator(seed: seed)
        return (0..<count).map { _ in g.next() }
    }

    /// hn (L·D, B, H) → the last layer's final states, directions side by side: (B, D·H).
    /// For the reverse direction "final" means after reading back to t = 0.
    static func lastLayerStates(_ hn: Tensor, layers: Int, directions: Int) throws -> Tensor {
        let (B, H) = (hn.shape[1], hn.shape[2])
        let top = try hn.index([.slice(start: (layers - 1) * directions, stop: layers * directions, step: 1)])
        return try top.permute([1, 0, 2]).reshape([B, directions * H])
    }

    /// Runs `body` as inference: no graph is recorded and inter-layer dropout is off (PyTorch's
    /// `model.eval()` + `torch.no_grad()`); the layers' training flags are restored afterwards.
    static func inference<R>(_ layers: [RecurrentLayer], _ body: () throws -> R) throws -> R {
        let saved = layers.map(\.training)
        for layer in layers { layer.training = false }
        defer { for (layer, flag) in zip(layers, saved) { layer.training = flag } }
        return try GradMode.withoutGrad(body)
    }

    /// The architectures run their layers time-major; a `batchFirst` layout belongs to the model.
    static func requireTimeMajor(_ layer: RecurrentLayer, _ name: String, op: String) throws {
        if layer.batchFirst {
            throw TensorError.invalidArgument(op: op, message: "build the \(name) layer with batch_first: false and pass batch_first to the model instead")
        }
    }
}
