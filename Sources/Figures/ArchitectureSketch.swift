/// What `diagram(m)` draws for a whole sequence model: the network unrolled over a few steps —
/// inputs x₁ x₂ … x_T below, the recurrent boxes with the state passed between them, the outputs
/// where this architecture emits them, the head, and for an encoder–decoder the encoder's final
/// state handed to the decoder.
///
/// Like `CellDiagram`, only the facts the picture needs, read off the model value: which
/// architecture, the cell, and every size (input, hidden, layers, directions, classes,
/// vocabulary), so the numbers on the sketch are the model's and never typed into a lesson. The
/// same value draws a bare stacked or bidirectional layer: layers as rows of boxes, each
/// bidirectional box with two rows of arrows (left to right, right to left).
public struct ArchitectureSketch: Sendable, Equatable, Codable {
    /// Where the model reads and where it answers.
    public enum Architecture: String, Sendable, Codable, CaseIterable {
        /// A bare `rnn`/`lstm`/`gru` layer: an output at every step and the final state h of shape
        /// (L·D, B, H).
        case layer
        /// `classifier`: one answer per sequence, from the last state (or the mean of all).
        case manyToOne
        /// `tagger`: one answer per step, aligned with the input.
        case manyToMany
        /// `generator`: trained many-to-many on the next step; sampled one-to-many, each output fed
        /// back as the next input.
        case nextStep
        /// `seq2seq`: an encoder reads the source, its final state starts a decoder that writes
        /// the target.
        case encoderDecoder
    }

    /// One recurrent layer's shape: the cell, its sizes, stacking and direction.
    public struct Recurrence: Sendable, Equatable, Codable {
        public var cell: CellDiagram.Cell
        public var inputSize: Int
        public var hiddenSize: Int
        public var layers: Int
        public var bidirectional: Bool

        public init(cell: CellDiagram.Cell, inputSize: Int, hiddenSize: Int, layers: Int = 1, bidirectional: Bool = false) {
            self.cell = cell
            self.inputSize = inputSize
            self.hiddenSize = hiddenSize
            self.layers = layers
            self.bidirectional = bidirectional
        }

        /// D: 2 for a bidirectional layer, else 1.
        public var directions: Int { bidirectional ? 2 : 1 }
    }

    public var architecture: Architecture
    /// The model's name in the language ("classifier", "lstm", …), shown in the title.
    public var model: String
    /// The recurrent layer (the encoder of an encoder–decoder).
    public var rnn: Recurrence
    /// The decoder of an encoder–decoder.
    public var decoder: Recurrence?
    /// Token ids read through an embedding of this many rows (the source vocabulary of a seq2seq);
    /// nil when the inputs are feature vectors.
    public var vocabulary: Int?
    /// The head's outputs: classes, tags, the target vocabulary, or the predicted features.
    public var outputSize: Int?
    /// A classifier's head reads the mean of the states instead of the last one.
    public var meanReadout: Bool

    public init(architecture: Architecture, model: String, rnn: Recurrence, decoder: Recurrence? = nil,
                vocabulary: Int? = nil, outputSize: Int? = nil, meanReadout: Bool = false) {
        self.architecture = architecture
        self.model = model
        self.rnn = rnn
        self.decoder = decoder
        self.vocabulary = vocabulary
        self.outputSize = outputSize
        self.meanReadout = meanReadout
    }

    /// The title a sketch gets unless the learner names it.
    public var defaultTitle: String {
        switch architecture {
        case .layer: "\(model) unrolled"
        case .manyToOne: "\(model): many-to-one"
        case .manyToMany: "\(model): many-to-many"
        case .nextStep: "\(model): many-to-many, sampled one-to-many"
        case .encoderDecoder: "\(model): encoder–decoder"
        }
    }

    /// A sentence saying why the sketch cannot be drawn, or nil.
    public var validationError: String? {
        if architecture == .encoderDecoder && decoder == nil { return "an encoder–decoder sketch needs its decoder" }
        return nil
    }
}

extension Figure {
    /// `diagram(m)` of a whole sequence model: its architecture unrolled over a few steps.
    public static func architecture(_ sketch: ArchitectureSketch, title: String? = nil) -> Figure {
        var f = Figure(kind: .architecture, title: title ?? sketch.defaultTitle)
        f.sketch = sketch
        return f
    }
}
