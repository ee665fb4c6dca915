/// What `diagram(m)` draws: the structure of one recurrent cell, read off a model value.
///
/// Only the facts the picture needs — the cell's kind, its sizes, its nonlinearity, and how the
/// cell is stacked — so that the drawing follows the model (an `lstm(input: 5, hidden: 2)` shows
/// `(B, 5)` and `(B, 2)` on its wires) and never a shape typed into a lesson. Plain data, like the
/// rest of `Figure`, so JSON and notebook export carry it unchanged.
public struct CellDiagram: Sendable, Equatable, Codable {
    /// The cell drawn in each gate's terms.
    public enum Cell: String, Sendable, Codable, CaseIterable {
        case rnn, lstm, gru

        /// Gate blocks stacked in each weight matrix (W_ih is (gates·hidden, input)).
        public var gateCount: Int {
            switch self {
            case .rnn: 1
            case .lstm: 4
            case .gru: 3
            }
        }
    }

    public var cell: Cell
    /// The rnn's squashing function, "tanh" or "relu"; always "tanh" for lstm and gru.
    public var nonlinearity: String
    public var inputSize: Int
    public var hiddenSize: Int
    /// Stacked layers (1 for a cell): noted in the caption, since every layer has the same cell.
    public var layers: Int
    /// Two directions per layer: noted in the caption.
    public var bidirectional: Bool
    /// Whether b_ih and b_hh exist.
    public var bias: Bool
    /// The numbers of one step, written on the drawing (`diagram(m, trace, step: t)`); nil for
    /// the bare structure.
    public var values: CellStepValues?

    public init(cell: Cell, nonlinearity: String = "tanh", inputSize: Int, hiddenSize: Int,
                layers: Int = 1, bidirectional: Bool = false, bias: Bool = true, values: CellStepValues? = nil) {
        self.cell = cell
        self.nonlinearity = nonlinearity
        self.inputSize = inputSize
        self.hiddenSize = hiddenSize
        self.layers = layers
        self.bidirectional = bidirectional
        self.bias = bias
        self.values = values
    }
}

/// What `diagram(m, trace, step: t)` writes on the cell: one step of a recorded forward pass, for
/// one batch row and the first few units.
///
/// Each vector holds one number per shown unit, copied from the trace (`tanh_c` is tanh of the
/// trace's cₜ, the value the LSTM's output box computes). The previous state is left out at step
/// 0, where it is the initial state the trace does not keep.
public struct CellStepValues: Sendable, Equatable, Codable {
    /// A named vector on the drawing: a gate's output, a state, a pre-activation.
    public struct Vector: Sendable, Equatable, Codable {
        /// `i f g o c h tanh_c`, `r z n h`, `a h`, and `h_prev` / `c_prev` for the state coming in.
        public var name: String
        public var values: [Double]
        public init(name: String, values: [Double]) { self.name = name; self.values = values }
    }

    /// The step drawn, 0-based, and how many the trace holds.
    public var step: Int
    public var steps: Int
    /// The batch row drawn, and how many rows the trace holds.
    public var row: Int
    public var batch: Int
    /// Indices of the units drawn (all when hidden ≤ 3, else the first three).
    public var units: [Int]
    /// "layer 1, reverse" when the trace is not the first layer's forward direction; nil otherwise.
    public var part: String?
    public var vectors: [Vector]

    public init(step: Int, steps: Int, row: Int, batch: Int, units: [Int], part: String? = nil, vectors: [Vector]) {
        self.step = step; self.steps = steps; self.row = row; self.batch = batch
        self.units = units; self.part = part; self.vectors = vectors
    }

    public func vector(_ name: String) -> [Double]? { vectors.first { $0.name == name }?.values }
}
