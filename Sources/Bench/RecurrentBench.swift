import CSupport
import Engine

/// Recurrent layers at the four configurations of `shared/bench/BASELINE.md`, one thread, float64:
///
/// * **train step** = zero_grad + forward over the whole sequence + MSE against a fixed random
///   target (on the layer's output, no head) + backward through every step + a plain SGD update;
/// * **forward** = the forward call alone, without recording a graph (PyTorch's `no_grad`).
///
/// Beside each figure, PyTorch's `nn.RNN/LSTM/GRU` in float64 on one thread and, for the LSTM, the
/// hand-written NumPy LSTM (`numpy_lstm.py`), both measured on this machine kind. The issue sets
/// targets for the LSTM training step; the heap check runs many training steps and reports how
/// much the heap grew (it should not). A last table sets PyTorch float32 beside the same figures.
enum RecurrentBench {
    struct Config {
        let name: String, input: Int, hidden: Int, steps: Int, batch: Int
        /// LSTM training-step targets (ms) in float64 and float32, from the issues.
        let lstmTarget: Double
        let lstmTarget32: Double
        /// Training steps for the heap check (fewer where a step takes long).
        let heapSteps: Int
    }

    static let configs = [
        Config(name: "tiny", input: 8, hidden: 32, steps: 50, batch: 1, lstmTarget: 0.25, lstmTarget32: 0.04, heapSteps: 1000),
        Config(name: "small", input: 32, hidden: 128, steps: 100, batch: 16, lstmTarget: 20, lstmTarget32: 9, heapSteps: 1000),
        Config(name: "large", input: 64, hidden: 512, steps: 100, batch: 32, lstmTarget: 520, lstmTarget32: 230, heapSteps: 20),
        Config(name: "long1d", input: 1, hidden: 64, steps: 200, batch: 1, lstmTarget: 0.6, lstmTarget32: 0.45, heapSteps: 1000),
    ]

    enum Model: String, CaseIterable {
        case rnnTanh = "rnn_tanh", lstm, gru, bilstm
        var kind: RecurrentKind {
            switch self { case .rnnTanh: .rnnTanh; case .lstm, .bilstm: .lstm; case .gru: .gru }
        }
    }

    /// BASELINE.md §2 (torch float64, 1 thread) and §3 (NumPy LSTM float64, 1 thread): (train, forward) ms.
    static let torch: [String: (Double, Double)] = [
        "tiny/rnn_tanh": (1.59, 0.236), "tiny/lstm": (4.50, 0.567), "tiny/gru": (4.69, 0.601), "tiny/bilstm": (9.00, 1.14),
        "small/rnn_tanh": (13.4, 3.70), "small/lstm": (46.4, 12.8), "small/gru": (37.4, 9.29), "small/bilstm": (94.2, 25.8),
        "large/rnn_tanh": (194, 59.2), "large/lstm": (908, 238), "large/gru": (661, 175), "large/bilstm": (1742, 459),
        "long1d/rnn_tanh": (5.98, 1.00), "long1d/lstm": (21.3, 2.61), "long1d/gru": (17.8, 2.67), "long1d/bilstm": (40.5, 5.28),
    ]
    static let numpy: [String: (Double, Double)] = [
        "tiny/lstm": (1.19, 0.524), "small/lstm": (36.2, 13.8), "large/lstm": (628, 229), "long1d/lstm": (5.40, 2.42),
    ]

    /// A forward pass that records a trace reads buffers the pass keeps anyway; a forward without
    /// one must cost what it did before traces existed. Both are timed here side by side.
    static func traceCost(_ config: BenchConfig) throws {
        Swift.print("LSTM forward without and with a trace (every gate at every step recorded):\n")
        var table = Table([("config", .left), ("no trace ms", .right), ("trace ms", .right)])
        for c in configs where c.name != "large" {
            let layer = try RecurrentLayer(.lstm, inputSize: c.input, hiddenSize: c.hidden, seed: 1)
            let x = try Tensor.randn([c.steps, c.batch, c.input], seed: 2)
            let plain = try config.measure("\(c.name) forward") { blackHole(try GradMode.withoutGrad { try layer(x).output }) }
            let traced = try config.measure("\(c.name) forward traced") {
                blackHole(try GradMode.withoutGrad { try layer(x, trace: RecurrentTrace()).output })
            }
            table.add([c.name, Format.sig(plain.median * 1e3), Format.sig(traced.median * 1e3)])
        }
        table.print()
    }

    /// The timed calls for one model at one configuration in `dtype`: the training step
    /// (zero_grad, forward, MSE against a fixed target, backward, SGD) and the forward pass alone.
    static func steps(_ c: Config, _ model: Model, dtype: DType) throws -> (train: () throws -> Void, forward: () throws -> Void) {
        let layer = try RecurrentLayer(model.kind, inputSize: c.input, hiddenSize: c.hidden,
                                       bidirectional: model == .bilstm, seed: 1, dtype: dtype)
        let x = try Tensor.randn([c.steps, c.batch, c.input], seed: 2).to(dtype)
        let target = try Tensor.randn([c.steps, c.batch, (model == .bilstm ? 2 : 1) * c.hidden], seed: 3).to(dtype)
        let sgd = try SGD(layer.parameters, lr: 0.01)
        let train = {
            sgd.zeroGrad()
            try Loss.mse(try layer(x).output, target).backward()
            try sgd.step()
        }
        let forward = { blackHole(try GradMode.withoutGrad { try layer(x).output }) }
        return (train, forward)
    }

    /// Multiply-adds ×2 of the matrix products one training step runs: forward X·W_ihᵀ and H·W_hhᵀ
    /// over all T·B rows; backward ∂W_ih, ∂W_hh and ∂H, each of the same size as its forward
    /// product. The input needs no gradient here, so ∂X = ∂A·W_ih is not computed:
    /// 2·T·B·G·H·(2I + 3H) per direction (21.8 GFLOP for the large LSTM, 0.73 for small; with ∂X
    /// it would be 22.6 and 0.79, the figures the float32 issue quotes).
    static func trainFlops(_ c: Config, _ model: Model) -> Double {
        let directions = model == .bilstm ? 2.0 : 1.0
        let rowsTimesGates = Double(c.steps * c.batch * model.kind.gateCount * c.hidden)
        let inner = Double(2 * c.input + 3 * c.hidden)
        return 2 * directions * rowsTimesGates * inner
    }

    static func run(_ config: BenchConfig) throws {
        Swift.print("## Recurrent layers, float64, 1 thread (median ms per call)\n")
        var table = Table([
            ("config", .left), ("model", .left), ("train ms", .right), ("IQR", .right), ("torch", .right),
            ("numpy", .right), ("target", .right), ("forward ms", .right), ("torch", .right), ("numpy", .right),
        ])
        var heapRows: [(String, MemoryCheck)] = []
        var ours: [String: (train: Double, forward: Double)] = [:]  // ms, for the float32 comparison
        for c in configs {
            for model in Model.allCases where config.includes("\(c.name)/\(model.rawValue)") {
                let (trainStep, forwardPass) = try steps(c, model, dtype: .float64)
                let train = try config.measure("\(c.name) \(model) train", trainStep)
                let forward = try config.measure("\(c.name) \(model) forward", forwardPass)
                let key = "\(c.name)/\(model.rawValue)"
                ours[key] = (train.median * 1e3, forward.median * 1e3)
                let verdict = model == .lstm ? Format.sig(c.lstmTarget) + (train.median * 1e3 <= c.lstmTarget ? " ✓" : " ✗") : ""
                table.add([
                    c.name, model.rawValue, Format.sig(train.median * 1e3), train.iqrPercent,
                    torch[key].map { Format.sig($0.0) } ?? "", numpy[key].map { Format.sig($0.0) } ?? "", verdict,
                    Format.sig(forward.median * 1e3), torch[key].map { Format.sig($0.1) } ?? "",
                    numpy[key].map { Format.sig($0.1) } ?? "",
                ])
                if model == .lstm && config.only == nil {
                    let steps = config.minSeconds < 0.3 ? Swift.min(c.heapSteps, 50) : c.heapSteps
                    heapRows.append((c.name, try MemoryCheck.run(iterations: steps, trainStep)))
                }
            }
        }
        table.print()
        if config.only != nil {  // comparing builds: the float32 rows asked for, nothing else
            try float32Comparison(ours: ours, config)
            return
        }
        try traceCost(config)
        Swift.print("LSTM training steps in a row, heap in use (glibc mallinfo2) and resident set before → after:\n")
        var heap = Table([("config", .left), ("steps", .right), ("heap growth", .right), ("RSS growth", .right)])
        for (name, check) in heapRows {
            heap.add([name, "\(check.iterations)", check.heapGrowth.map(Format.delta) ?? "n/a", Format.delta(check.rssGrowth)])
        }
        heap.print()
        try float32Comparison(ours: ours, config)
    }

    /// The engine's float32 layers beside PyTorch's (its default dtype, the realistic competitor
    /// for speed) and beside our float64 figures just measured. PyTorch is run now when its venv is
    /// there (see ``TorchFloat32Reference``), else quoted; the table title says which. GFLOP/s is
    /// ``trainFlops(_:_:)`` over the median time, and "of peak" sets it against this core's float32
    /// FMA throughput measured now (``rnnlab_fma_peak_gflops``): a data sheet's figure is no use on
    /// a virtual machine, and a core that splits a 256-bit FMA into two halves has half the peak
    /// of one that does not (117 GFLOP/s at 3.65 GHz with two full 256-bit pipes; about 46 on a
    /// first-generation EPYC).
    static func float32Comparison(ours: [String: (train: Double, forward: Double)], _ config: BenchConfig) throws {
        let torch32 = config.measureTorch ? TorchFloat32Reference.obtain(quick: config.minSeconds < 0.3) : .quoted
        let path: String
        switch rnnlab_gemm_vector_path() {
        case 1: path = "AVX2"
        case 2: path = "AVX-512"
        default: path = "scalar"
        }
        let peak = rnnlab_fma_peak_gflops(1, config.minSeconds < 0.3 ? 0.3 : 1.0)
        Swift.print("## Float32 beside PyTorch float32, 1 thread (median ms per call; PyTorch \(torch32.source.label))\n")
        Swift.print("Float32 peak of this core, measured now: \(Format.sig(peak)) GFLOP/s (independent \(path) fused multiply-adds).\n")
        var table = Table([
            ("config", .left), ("model", .left), ("ours f32 train", .right), ("GFLOP/s", .right), ("of peak", .right), ("torch f32 train", .right),
            ("vs torch", .right), ("target", .right), ("ours f64 train", .right), ("ours f32 fwd", .right), ("torch f32 fwd", .right),
        ])
        var heapRows: [(String, MemoryCheck)] = []
        for c in configs {
            for model in Model.allCases where config.includes("\(c.name)/\(model.rawValue)") {
                let key = "\(c.name)/\(model.rawValue)"
                let (trainStep, forwardPass) = try steps(c, model, dtype: .float32)
                let train = try config.measure("\(c.name) \(model) float32 train", trainStep)
                let forward = try config.measure("\(c.name) \(model) float32 forward", forwardPass)
                let ms = train.median * 1e3
                // GFLOP/s only where the products dominate (a batch of sequences); a single
                // sequence is bound by reading W_hh once per step, not by the FMA units.
                let rate = trainFlops(c, model) / train.median / 1e9
                let gflops = c.batch >= 16 ? Format.sig(rate) : ""
                let ofPeak = c.batch >= 16 ? "\(Int((100 * rate / peak).rounded()))%" : ""
                let versus = torch32.figures[key].map { Format.sig($0.trainMs / ms) + "×" + (ms < $0.trainMs ? " ✓" : " ✗") } ?? ""
                let verdict = model == .lstm ? Format.sig(c.lstmTarget32) + (ms <= c.lstmTarget32 ? " ✓" : " ✗") : ""
                table.add([
                    c.name, model.rawValue, Format.sig(ms), gflops, ofPeak, torch32.trainCell(key), versus, verdict,
                    ours[key].map { Format.sig($0.train) } ?? "", Format.sig(forward.median * 1e3), torch32.forwardCell(key),
                ])
                if model == .lstm && config.only == nil {
                    let steps = config.minSeconds < 0.3 ? Swift.min(c.heapSteps, 50) : c.heapSteps
                    heapRows.append((c.name, try MemoryCheck.run(iterations: steps, trainStep)))
                }
            }
        }
        table.print()
        Swift.print("vs torch = PyTorch's time / ours (above 1: we are faster). PyTorch figures \(torch32.note)."
                    + (torch32.figures.values.contains { $0.disturbed } ? " † = other processes used > 0.2 cores while it was timed." : "")
                    + "\n")
        guard !heapRows.isEmpty else { return }
        Swift.print("Float32 LSTM training steps in a row, heap in use and resident set before → after:\n")
        var heap = Table([("config", .left), ("steps", .right), ("heap growth", .right), ("RSS growth", .right)])
        for (name, check) in heapRows {
            heap.add([name, "\(check.iterations)", check.heapGrowth.map(Format.delta) ?? "n/a", Format.delta(check.rssGrowth)])
        }
        heap.print()
    }
}
