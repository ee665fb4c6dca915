import Foundation
import Testing
@testable import Engine

/// Scheduled sampling (`Seq2Seq.scheduledSampling`): p = 0 is teacher forcing, p = 1 is greedy
/// decoding, the coins come out at rate p, the pass equals teacher forcing on the inputs it chose,
/// and its gradient (choices held fixed) matches finite differences.
@Suite struct ScheduledSamplingTests {
    struct Config: Sendable, CustomTestStringConvertible {
        var kind: RecurrentKind = .gru
        var layers = 1
        var bidirectional = false
        var attention = false
        var batchFirst = false
        var unbatched = false
        var padded = false
        var testDescription: String {
            "\(kind.rawValue) L\(layers)\(bidirectional ? " bi-encoder" : "")\(attention ? " attention" : "")\(batchFirst ? " batchFirst" : "")"
                + "\(unbatched ? " unbatched" : "")\(padded ? " padded" : "")"
        }
    }

    static let (S, T, B, sourceVocabulary, targetVocabulary, start) = (5, 6, 3, 7, 6, 0)

    static let configs: [Config] = [
        Config(), Config(kind: .lstm, layers: 2), Config(kind: .rnnTanh, bidirectional: true, padded: true),
        Config(attention: true, padded: true), Config(kind: .lstm, layers: 2, bidirectional: true, attention: true, padded: true),
        Config(kind: .lstm, attention: true, batchFirst: true, padded: true), Config(bidirectional: true, batchFirst: true),
        Config(kind: .lstm, attention: true, unbatched: true), Config(bidirectional: true, unbatched: true, padded: true),
    ]

    static func make(_ c: Config, seed: UInt64 = 1) throws -> Seq2Seq {
        try Seq2Seq(c.kind, sourceVocabularySize: sourceVocabulary, targetVocabularySize: targetVocabulary, embeddingSize: 3, hiddenSize: 4,
                    numLayers: c.layers, bidirectionalEncoder: c.bidirectional, attention: c.attention, batchFirst: c.batchFirst, seed: seed)
    }

    /// Source, target (in the configuration's layout) and source lengths.
    static func data(_ c: Config) throws -> (source: Tensor, target: Tensor, lengths: [Int]?) {
        var source = try ArchTest.tokens(S, B, vocabulary: sourceVocabulary, seed: 1)
        var target = try ArchTest.tokens(T, B, vocabulary: targetVocabulary, seed: 2)
        var lengths: [Int]? = c.padded ? [5, 2, 4] : nil
        if c.unbatched {
            source = try source.index([.all, .at(0)]); target = try target.index([.all, .at(0)]); lengths = lengths.map { [$0[0]] }
        } else if c.batchFirst {
            source = try source.transpose(0, 1); target = try target.transpose(0, 1)
        }
        return (source, target, lengths)
    }

    /// A time-major (T, B) token table in the configuration's layout.
    static func layout(_ rows: [[Int]], _ c: Config) throws -> Tensor {
        let t = try Tensor(shape: [rows.count, rows[0].count], storage: rows.flatMap { $0.map(Double.init) })
        return c.unbatched ? try t.index([.all, .at(0)]) : (c.batchFirst ? try t.transpose(0, 1) : t)
    }

    /// Logits and every parameter's gradient for one fixed upstream gradient.
    static func logitsAndGradients(_ model: Seq2Seq, _ f: () throws -> Tensor) throws -> (Tensor, [[Double]]) {
        model.zeroGrad()
        let logits = try f()
        try logits.backward(gradient: try Tensor.randn(logits.shape, seed: 7))
        return (logits, model.parameters.map { $0.gradStorage ?? [] })
    }

    static func maxDifference(_ a: [Double], _ b: [Double]) -> Double {
        a.count == b.count ? zip(a, b).map { Swift.abs($0 - $1) }.max() ?? 0 : .infinity
    }

    // MARK: p = 0 and p = 1

    /// p = 0 draws nothing and is teacher forcing: the same logits and gradients, bit for bit.
    @Test(arguments: configs)
    func probabilityZeroIsTeacherForcing(_ c: Config) throws {
        let model = try Self.make(c), (source, target, lengths) = try Self.data(c)
        let (forced, forcedGrads) = try Self.logitsAndGradients(model) {
            try model(source: source, target: target, start: Self.start, sourceLengths: lengths)
        }
        var generator = RandomGenerator(seed: 3)
        var pass: ScheduledSamplingPass?
        let (scheduled, scheduledGrads) = try Self.logitsAndGradients(model) {
            pass = try model.scheduledSampling(source: source, target: target, start: Self.start, probability: 0,
                                               generator: &generator, sourceLengths: lengths)
            return pass!.logits
        }
        #expect(scheduled.shape == forced.shape)
        #expect(Self.maxDifference(scheduled.storage, forced.storage) == 0)
        for (a, b) in zip(scheduledGrads, forcedGrads) { #expect(!a.isEmpty && Self.maxDifference(a, b) <= 1e-14) }
        #expect(pass!.ownPrediction.allSatisfy { !$0.contains(true) })
        var untouched = RandomGenerator(seed: 3)
        #expect(generator.next() == untouched.next(), "p = 0 must not draw")
    }

    /// p = 1: every input after the start token is greedy decoding's previous token, and the logits
    /// are the greedy logits (teacher forcing on the greedy output is the same computation).
    @Test(arguments: configs)
    func probabilityOneIsGreedyDecoding(_ c: Config) throws {
        let model = try Self.make(c), (source, target, lengths) = try Self.data(c)
        var generator = RandomGenerator(seed: 4)
        let pass = try model.scheduledSampling(source: source, target: target, start: Self.start, probability: 1,
                                               generator: &generator, sourceLengths: lengths)
        let greedy = try model.greedyDecode(source: source, start: Self.start, maxLength: Self.T, sourceLengths: lengths)
        let batch = greedy.count
        #expect(pass.inputs[0] == [Int](repeating: Self.start, count: batch))
        for t in 1..<Self.T { #expect(pass.inputs[t] == (0..<batch).map { greedy[$0][t - 1] }, "step \(t)") }
        #expect(pass.ownPrediction.dropFirst().allSatisfy { $0.allSatisfy { $0 } })
        // The greedy logits: teacher forcing with the greedy tokens as the target.
        let greedyRows = (0..<Self.T).map { t in (0..<batch).map { greedy[$0][t] } }
        let greedyLogits = try model(source: source, target: try Self.layout(greedyRows, c), start: Self.start, sourceLengths: lengths)
        #expect(Self.maxDifference(pass.logits.storage, greedyLogits.storage) <= 1e-14)
        #expect(pass.logits.shape == greedyLogits.shape)
    }

    /// Any choices: the pass is teacher forcing on the tokens it chose to read, the predictions
    /// are the argmax of the step before, and the true tokens are the target's.
    @Test(arguments: configs)
    func equalsTeacherForcingOnTheChosenInputs(_ c: Config) throws {
        let model = try Self.make(c), (source, target, lengths) = try Self.data(c)
        var generator = RandomGenerator(seed: 5)
        let pass = try model.scheduledSampling(source: source, target: target, start: Self.start, probability: 0.5,
                                               generator: &generator, sourceLengths: lengths)
        let batch = pass.inputs[0].count, V = Self.targetVocabulary
        #expect(pass.ownPrediction.joined().contains(true) && pass.ownPrediction.dropFirst().joined().contains(false))
        let timeMajor = c.unbatched ? try pass.logits.unsqueeze(1) : (c.batchFirst ? try pass.logits.transpose(0, 1) : pass.logits)
        let truth = try Self.data(Config()).target.storage        // the (T, B) target before any layout change
        for t in 1..<Self.T { for b in 0..<batch {
            if pass.ownPrediction[t][b] {
                let row = Array(timeMajor.storage[(((t - 1) * batch + b) * V)..<(((t - 1) * batch + b + 1) * V)])
                #expect(pass.inputs[t][b] == Sampling.argmax(row))
            } else {
                #expect(pass.inputs[t][b] == Int(truth[(t - 1) * Self.B + b]))
            }
        } }
        let rows = (0..<Self.T).map { t in t + 1 < Self.T ? pass.inputs[t + 1] : pass.inputs[t] }   // the last target token is never read
        let forced = try model(source: source, target: try Self.layout(rows, c), start: Self.start, sourceLengths: lengths)
        #expect(Self.maxDifference(pass.logits.storage, forced.storage) <= 1e-14)
    }

    // MARK: The coins

    /// About p of the choices use the prediction. Each is a Bernoulli(p) coin, so the share over
    /// n = (T − 1)·B = 4,000 coins has standard deviation √(p(1 − p)/n) ≤ 0.0080; the tolerance is
    /// 4 standard deviations (a seeded test, but one that would fail for a biased or shifted draw).
    @Test(arguments: [0.1, 0.25, 0.5, 0.9])
    func aboutPOfTheChoicesAreTheModels(_ p: Double) throws {
        let model = try Seq2Seq(.gru, sourceVocabularySize: 5, targetVocabularySize: 5, embeddingSize: 2, hiddenSize: 3, seed: 2)
        let (T, B) = (21, 200)
        let source = try ArchTest.tokens(4, B, vocabulary: 5, seed: 1), target = try ArchTest.tokens(T, B, vocabulary: 5, seed: 2)
        var generator = RandomGenerator(seed: 11)
        let pass = try GradMode.withoutGrad {
            try model.scheduledSampling(source: source, target: target, start: 0, probability: p, generator: &generator)
        }
        #expect(!pass.ownPrediction[0].contains(true), "step 0 always reads the start token")
        let coins = pass.ownPrediction.dropFirst().joined()
        let share = Double(coins.filter { $0 }.count) / Double(coins.count)
        let sigma = (p * (1 - p) / Double(coins.count)).squareRoot()
        #expect(Swift.abs(share - p) <= 4 * sigma, "share \(share) for p \(p)")
        // Neither bunched by step nor by sequence: every step's and every sequence's share is plausible too.
        let perStep = pass.ownPrediction.dropFirst().map { Double($0.filter { $0 }.count) / Double(B) }
        #expect(perStep.allSatisfy { Swift.abs($0 - p) <= 5 * (p * (1 - p) / Double(B)).squareRoot() }, "\(perStep)")
    }

    /// The same seed gives the same choices; another seed others.
    @Test func theChoicesAreSeeded() throws {
        let model = try Self.make(Config()), (source, target, _) = try Self.data(Config())
        func choices(_ seed: UInt64) throws -> [[Bool]] {
            var g = RandomGenerator(seed: seed)
            return try model.scheduledSampling(source: source, target: target, start: 0, probability: 0.5, generator: &g).ownPrediction
        }
        #expect(try choices(1) == choices(1))
        #expect(try choices(1) != choices(2))
    }

    // MARK: Gradients

    /// Finite differences of the loss with the choices held fixed (the predictions are recomputed
    /// at every perturbation; with these seeds no argmax is near a tie, so they do not change).
    @Test(arguments: [Config(kind: .gru, bidirectional: true, attention: true, padded: true), Config(kind: .lstm, layers: 2, padded: true),
                      Config(kind: .rnnTanh, batchFirst: true)])
    func gradcheckWithTheChoicesHeldFixed(_ c: Config) throws {
        let model = try Seq2Seq(c.kind, sourceVocabularySize: 4, targetVocabularySize: 3, embeddingSize: 2, hiddenSize: 2, numLayers: c.layers,
                                bidirectionalEncoder: c.bidirectional, attention: c.attention, batchFirst: c.batchFirst, seed: 3)
        var source = try ArchTest.tokens(4, 2, vocabulary: 4, seed: 1), target = try ArchTest.tokens(4, 2, vocabulary: 3, seed: 2)
        if c.batchFirst { source = try source.transpose(0, 1); target = try target.transpose(0, 1) }
        let choices = [[false, false], [true, false], [false, true], [true, true]]
        let lengths: [Int]? = c.padded ? [4, 2] : nil
        let reference = try model.scheduledSampling(source: source, target: target, start: 0, ownPrediction: choices, sourceLengths: lengths)
        let result = try gradcheck(model.parameters) { _ in
            let pass = try model.scheduledSampling(source: source, target: target, start: 0, ownPrediction: choices, sourceLengths: lengths)
            guard pass.inputs == reference.inputs else { throw TensorError.invalidArgument(op: "test", message: "a prediction flipped") }
            return pass.logits
        }
        #expect(result.passed, "\(result)")
    }

    // MARK: Errors

    @Test func errors() throws {
        let model = try Self.make(Config()), (source, target, _) = try Self.data(Config())
        var g = RandomGenerator(seed: 0)
        for p in [-0.1, 1.5, Double.nan] {
            #expect(ArchTest.throwsMessage("the probability must be between 0 and 1") {
                _ = try model.scheduledSampling(source: source, target: target, start: 0, probability: p, generator: &g)
            })
        }
        #expect(ArchTest.throwsMessage("the choices must be 6 steps × 3 sequences") {
            _ = try model.scheduledSampling(source: source, target: target, start: 0, ownPrediction: [[true]])
        })
        #expect(ArchTest.throwsMessage("start token 9 is out of range") {
            _ = try model.scheduledSampling(source: source, target: target, start: 9, probability: 0.5, generator: &g)
        })
        #expect(ArchTest.throwsMessage("target token 6 is out of range 0..<6") {
            _ = try model.scheduledSampling(source: source, target: try Tensor.full([6, 3], 6), start: 0, probability: 0.5, generator: &g)
        })
        #expect(ArchTest.throwsMessage("the source holds 3 sequences but the target 2") {
            _ = try model.scheduledSampling(source: source, target: try Tensor.zeros([6, 2]), start: 0, probability: 0.5, generator: &g)
        })
    }
}
