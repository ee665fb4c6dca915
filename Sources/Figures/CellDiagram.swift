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

    public init(cell: Cell, nonlinearity: String = "tanh", inputSize: Int, hiddenSize: Int,
                layers: Int = 1, bidirectional: Bool = false, bias: Bool = true) {
        self.cell = cell
        self.nonlinearity = nonlinearity
        self.inputSize = inputSize
        self.hiddenSize = hiddenSize
        self.layers = layers
        self.bidirectional = bidirectional
        self.bias = bias
    }
}
