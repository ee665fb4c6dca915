/// What `unroll(m, x)` draws: a recurrent layer written out over its T steps, one box per step.
///
/// A vector cannot be written on a wire, so each wire carries one number standing for it: its
/// Euclidean norm ‖v‖ = √(Σᵢ vᵢ²) over the units of one batch row — the size the vanishing-gradient
/// story is about — or, when the vector has a single element, that element itself (sign included).
/// `inputsAreNorms` and `statesAreNorms` say which; the caption says it in words.
///
/// | field        | the wire                                           |
/// |--------------|----------------------------------------------------|
/// | `initial`    | h₀, into the first box                             |
/// | `states[t]`  | hₜ, out of box t (the trace's `h[t]`)              |
/// | `outputs[t]` | yₜ, above box t (the layer's `output[t]`)          |
/// | `inputs[t]`  | xₜ, below box t                                    |
/// | `gradients[t]` | ∂L/∂hₜ under the wire out of box t (after `backward`) |
public struct UnrolledGraph: Sendable, Equatable, Codable {
    public var cell: CellDiagram.Cell
    public var inputSize: Int
    public var hiddenSize: Int
    /// The batch row drawn, and how many rows the input holds.
    public var row: Int
    public var batch: Int
    public var initial: Double
    public var states: [Double]
    public var outputs: [Double]
    public var inputs: [Double]
    /// ∂L/∂hₜ per step from the last `backward()`, nil when not asked for.
    public var gradients: [Double]?
    public var inputsAreNorms: Bool
    public var statesAreNorms: Bool

    public init(cell: CellDiagram.Cell, inputSize: Int, hiddenSize: Int, row: Int = 0, batch: Int = 1,
                initial: Double, states: [Double], outputs: [Double], inputs: [Double], gradients: [Double]? = nil) {
        self.cell = cell
        self.inputSize = inputSize
        self.hiddenSize = hiddenSize
        self.row = row
        self.batch = batch
        self.initial = initial
        self.states = states
        self.outputs = outputs
        self.inputs = inputs
        self.gradients = gradients
        self.inputsAreNorms = inputSize != 1
        self.statesAreNorms = hiddenSize != 1
    }

    /// T, the number of steps.
    public var steps: Int { states.count }

    /// Why the per-step lists disagree, or nil.
    public var validationError: String? {
        if outputs.count != steps || inputs.count != steps {
            return "unroll: \(steps) states but \(outputs.count) outputs and \(inputs.count) inputs"
        }
        if let g = gradients, g.count != steps { return "unroll: \(steps) states but \(g.count) gradients" }
        return nil
    }
}
