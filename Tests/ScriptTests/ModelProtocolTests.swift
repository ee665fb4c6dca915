import Testing
import Engine
@testable import Script

/// A model that exists only in this test, added the way README "Add a model" says: one class
/// adopting ``ScriptModel`` and one registration. `gained_rnn(hidden:)` is an Elman RNN whose
/// output is scaled by one learned number, `gain`: yₜ = gain · hₜ.
final class GainedRNN: Module {
    let rnn: RecurrentLayer
    let gain = Tensor([0.5], requiresGrad: true)

    init(hidden: Int, seed: UInt64) throws {
        rnn = try RecurrentLayer(.rnnTanh, inputSize: 1, hiddenSize: hidden, seed: seed)
    }

    /// PyTorch's names for `self.rnn = nn.RNN(1, H); self.gain = nn.Parameter(…)`.
    var namedParameters: [(name: String, tensor: Tensor)] {
        rnn.namedParameters.map { ("rnn." + $0.name, $0.tensor) } + [("gain", gain)]
    }

    func callAsFunction(_ x: Tensor) throws -> Tensor { try rnn(x).output * gain }
}

final class GainedRNNModel: ScriptModel {
    let model: GainedRNN

    init(_ model: GainedRNN) { self.model = model }

    static var builtins: [Builtin] {
        [
            Builtin("gained_rnn", "gained_rnn(hidden:, seed: 0)", family: "models",
                    doc: "A test model: an RNN over one feature whose output is scaled by a learned gain.",
                    example: "m = gained_rnn(hidden: 2)\nm(zeros(3, 1, 1)).shape") { args, _ in
                .model(Model(GainedRNNModel(try GainedRNN(hidden: try args.int(nil, "hidden"), seed: try args.seed()))))
            },
        ]
    }

    var module: any Module { model }
    var name: String { "gained_rnn" }
    var configuration: String { "hidden: \(model.rnn.hiddenSize)" }
    var callUsage: String { "gained_rnn(x)" }

    func call(_ args: inout Arguments, _ interpreter: Interpreter) throws -> Value {
        .tensor(try model(try args.tensor(0, "x")))
    }

    var members: [(name: String, value: Value)] { [("rnn", .model(Model(RecurrentModel(model.rnn))))] }

    var training: Bool {
        get { model.rnn.training }
        set { model.rnn.training = newValue }
    }

    func trainingTarget(start: Int?, _ args: Arguments) throws -> TrainingTarget? {
        let m = model
        return TrainingTarget(name: name, parameters: m.parameters, rnn: m.rnn, embedding: nil, batchFirst: false,
                              defaultLoss: .mse) { x, _, _, _, _ in (try m(x), nil) }
    }
}

@Suite struct ModelProtocolTests {
    func interpreter() -> Interpreter {
        let interp = Interpreter()
        interp.register(model: GainedRNNModel.self)
        return interp
    }

    @Test func aRegisteredModelIsMadeCalledAndDescribed() {
        let interp = interpreter()
        run("m = gained_rnn(hidden: 3, seed: 1)", in: interp)
        #expect(show("m", in: interp) == "gained_rnn(hidden: 3) with 19 parameters")
        #expect(show("m(zeros(4, 2, 1)).shape", in: interp) == "[4, 2, 3]")
        #expect(show("m.gain", in: interp) == "tensor([0.5])")
        #expect(show("m.parameters.gain", in: interp) == "tensor([0.5])")
        #expect(show("m.rnn.hidden_size", in: interp) == "3")
        #expect(show("m.kind", in: interp) == "\"gained_rnn\"")
        #expect(interp.memberNames(of: value("m", in: interp)).contains("gain"))
        #expect(failure("m(zeros(4, 2, 1), 5)", in: interp).message.contains("gained_rnn(x)"))
        #expect(interp.help("gained_rnn")?.contains("learned gain") == true)
    }

    @Test func aRegisteredModelTrainsFromTheLanguage() {
        let interp = interpreter()
        run("""
            m = gained_rnn(hidden: 1, seed: 0)
            x = randn(5, 16, 1, seed: 1)
            y = 0.5 * tanh(x)
            h = train(m, x, y, epochs: 20, batch_size: 8, lr: 0.05)
            """, in: interp)
        #expect(show("h.steps", in: interp) == "40")
        #expect(show("h.stopped", in: interp) == "\"done\"")
        let losses = tensor("h.loss", in: interp).storage
        #expect(losses.count == 40 && losses[39] < losses[0] / 2)
        #expect(tensor("m.gain", in: interp).storage != [0.5])
    }

    @Test func anUnregisteredModelIsUnknown() {
        #expect(failure("gained_rnn(hidden: 2)").message.contains("gained_rnn"))
    }
}
