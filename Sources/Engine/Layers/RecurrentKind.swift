/// Which cell a recurrent layer runs, with PyTorch's `mode` names.
public enum RecurrentKind: String, Sendable, CaseIterable {
    case rnnTanh = "RNN_TANH"
    case rnnReLU = "RNN_RELU"
    case lstm = "LSTM"
    case gru = "GRU"

    /// Gate blocks stacked in each weight matrix: the "G" of (G·H) × I.
    public var gateCount: Int {
        switch self {
        case .rnnTanh, .rnnReLU: 1
        case .lstm: 4
        case .gru: 3
        }
    }

    /// Short name used in traces and messages.
    public var cellName: String {
        switch self {
        case .rnnTanh, .rnnReLU: "rnn"
        case .lstm: "lstm"
        case .gru: "gru"
        }
    }

    /// Runs one layer (one direction, or both of a bidirectional one) with the matching fused kernel.
    func runSequence(x: Tensor, directions: [RecurrentSequence.DirectionInput]) throws -> RecurrentSequence.Result {
        switch self {
        case .rnnTanh: try RecurrentSequence.run(RNNKernel<TanhActivation>.self, name: cellName, x: x, directions: directions)
        case .rnnReLU: try RecurrentSequence.run(RNNKernel<ReLUActivation>.self, name: cellName, x: x, directions: directions)
        case .lstm: try RecurrentSequence.run(LSTMKernel.self, name: cellName, x: x, directions: directions)
        case .gru: try RecurrentSequence.run(GRUKernel.self, name: cellName, x: x, directions: directions)
        }
    }
}

/// PyTorch's rule for recurrent layers and cells: input, states and weights in one precision (no
/// silent widening), so that a float32 input never reaches float64 kernels or the reverse.
func requireOnePrecision(_ precision: DType, of owner: String, _ tensors: [(name: String, tensor: Tensor?)], op: String) throws {
    for (name, t) in tensors {
        guard let t, t.dtype != precision else { continue }
        let fix = precision == .float32 ? "float" : "double"
        throw TensorError.invalidArgument(op: op, message: "the \(owner)'s weights are \(precision.rawValue) but the \(name) is \(t.dtype.rawValue); convert it with .\(fix)() (or the model with .\(fix == "float" ? "double" : "float")())")
    }
}

/// PyTorch's default initialisation of recurrent weights: every parameter ~ U(−1/√H, 1/√H).
func uniformParameter(_ shape: [Int], hiddenSize: Int, generator: inout RandomGenerator) throws -> Tensor {
    let bound = 1 / Double(hiddenSize).squareRoot()
    let t = try Tensor.rand(shape, low: -bound, high: bound, generator: &generator)
    t.requiresGrad = true
    return t
}
