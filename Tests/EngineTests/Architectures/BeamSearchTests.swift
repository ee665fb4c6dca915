import Foundation
import Testing
@testable import Engine

/// Beam search (`Seq2Seq.beamSearch`) against its two exact references: exhaustive search over
/// every sequence (k ≥ V^L) and greedy decoding (k = 1); and the beam record it returns.
@Suite struct BeamSearchTests {
    struct Config: Sendable, CustomTestStringConvertible {
        var kind: RecurrentKind = .gru
        var layers = 1
        var bidirectional = false
        var attention = false
        var padded = false
        var batchFirst = false
        var testDescription: String {
            "\(kind.rawValue) L\(layers)\(bidirectional ? " bi-encoder" : "")\(attention ? " attention" : "")"
                + "\(padded ? " padded" : "")\(batchFirst ? " batchFirst" : "")"
        }
    }

    static let (S, B, sourceVocabulary, start) = (4, 3, 5, 0)
    static let lengths = [4, 2, 3]

    static func make(_ c: Config, targetVocabulary: Int, seed: UInt64) throws -> Seq2Seq {
        try Seq2Seq(c.kind, sourceVocabularySize: sourceVocabulary, targetVocabularySize: targetVocabulary, embeddingSize: 3,
                    hiddenSize: 4, numLayers: c.layers, bidirectionalEncoder: c.bidirectional, attention: c.attention,
                    batchFirst: c.batchFirst, seed: seed)
    }

    static let configs: [Config] = [
        Config(), Config(kind: .lstm, attention: true, padded: true), Config(layers: 2, bidirectional: true, attention: true, padded: true),
        Config(kind: .lstm, bidirectional: true), Config(kind: .rnnTanh, attention: true, padded: true, batchFirst: true),
    ]

    /// log P(tokens (+ stop) | source b) from teacher-forced logits: the plain reference score.
    static func score(_ model: Seq2Seq, source: Tensor, _ b: Int, length: Int, tokens: [Int], stop: Int?) throws -> Double {
        let written = tokens + (stop.map { [$0] } ?? [])
        guard !written.isEmpty else { return 0 }
        let target = try Tensor(shape: [written.count, 1], storage: written.map(Double.init))
        let logits = try model(source: try ArchTest.column(source, b, steps: length), target: target, start: start)
        let V = model.targetVocabularySize
        return try (0..<written.count).reduce(0.0) { sum, t in
            let row = Array(logits.storage[(t * V)..<((t + 1) * V)])
            let m = try #require(row.max())
            return sum + row[written[t]] - m - Foundation.log(row.reduce(0) { $0 + Foundation.exp($1 - m) })
        }
    }

    /// Every output of at most `maxLength` steps: tokens then `stop`, or `maxLength` tokens without it.
    static func allOutputs(vocabulary V: Int, maxLength L: Int, stop: Int) -> [(tokens: [Int], stopped: Bool)] {
        var out: [(tokens: [Int], stopped: Bool)] = [], prefixes: [[Int]] = [[]]
        for n in 0...L {
            for p in prefixes { out.append((p, true)) }
            if n < L { prefixes = prefixes.flatMap { p in (0..<V).filter { $0 != stop }.map { p + [$0] } } }
        }
        // Prefixes of length L end at max length; the ones with a stop token after L tokens would take L + 1 steps.
        return out.filter { $0.tokens.count < L } + prefixes.map { ($0, false) }
    }

    /// With k = V^L nothing is ever pruned: the beam's finished list is every possible output, each
    /// scored as teacher forcing scores it, and the best is the exhaustive search's best.
    @Test(arguments: configs.filter { !$0.batchFirst })
    func wideBeamIsExhaustiveSearch(_ c: Config) throws {
        let V = 4, L = 3, stop = 3
        let model = try Self.make(c, targetVocabulary: V, seed: 11)
        let source = try ArchTest.tokens(Self.S, Self.B, vocabulary: Self.sourceVocabulary, seed: 12)
        let lengths = c.padded ? Self.lengths : [Int](repeating: Self.S, count: Self.B)
        let results = try model.beamSearch(source: source, start: Self.start, maxLength: L, beamWidth: 64, stop: stop,
                                           sourceLengths: c.padded ? lengths : nil)
        #expect(results.count == Self.B)
        let outputs = Self.allOutputs(vocabulary: V, maxLength: L, stop: stop)
        #expect(outputs.count == 1 + 3 + 9 + 27)
        for (b, result) in results.enumerated() {
            let scored = try outputs.map { o in
                (o, try Self.score(model, source: source, b, length: lengths[b], tokens: o.tokens, stop: o.stopped ? stop : nil))
            }
            let best = try #require(scored.max { $0.1 < $1.1 })
            #expect(result.best.tokens == best.0.tokens && result.best.finished == best.0.stopped, "source \(b)")
            #expect(Swift.abs(result.best.logProbability - best.1) < 1e-12)
            #expect(result.finished.count == outputs.count)
            for h in result.finished {
                let reference = try #require(scored.first { $0.0.tokens == h.tokens && $0.0.stopped == h.finished })
                #expect(Swift.abs(h.logProbability - reference.1) < 1e-12)
            }
            // Probabilities of all outputs sum to 1: every path ends, by stop or by max length.
            #expect(Swift.abs(result.finished.map { Foundation.exp($0.logProbability) }.reduce(0, +) - 1) < 1e-12)
        }
    }

    /// k = 1 keeps the argmax at every step: greedy decoding exactly, with and without a stop token.
    @Test(arguments: configs)
    func beamOfOneIsGreedy(_ c: Config) throws {
        let model = try Self.make(c, targetVocabulary: 6, seed: 21)
        var source = try ArchTest.tokens(Self.S, Self.B, vocabulary: Self.sourceVocabulary, seed: 22)
        if c.batchFirst { source = try source.transpose(0, 1) }
        let lengths = c.padded ? Self.lengths : nil
        for stop in [nil, 2, 5] as [Int?] {
            let greedy = try model.greedyDecode(source: source, start: Self.start, maxLength: 7, stop: stop, sourceLengths: lengths)
            let beam = try model.beamSearch(source: source, start: Self.start, maxLength: 7, beamWidth: 1, stop: stop, sourceLengths: lengths)
            #expect(beam.map(\.best.tokens) == greedy, "stop \(String(describing: stop))")
            #expect(beam.allSatisfy { $0.steps.allSatisfy { $0.count == 1 } })
        }
    }

    /// The record: at most k candidates per step, best first, each one step longer than the last
    /// step's live ones and scored as teacher forcing scores it; the search stops once k finished
    /// hypotheses beat every live one.
    @Test func stepRecord() throws {
        let c = Config(kind: .lstm, attention: true, padded: true), stop = 2, k = 3
        let model = try Self.make(c, targetVocabulary: 5, seed: 31)
        let source = try ArchTest.tokens(Self.S, Self.B, vocabulary: Self.sourceVocabulary, seed: 32)
        let results = try model.beamSearch(source: source, start: Self.start, maxLength: 6, beamWidth: k, stop: stop, sourceLengths: Self.lengths)
        for (b, r) in results.enumerated() {
            #expect(!r.steps.isEmpty && r.steps.count <= 6)
            for (t, step) in r.steps.enumerated() {
                #expect(step.count <= k && step.count >= 1)
                #expect(zip(step, step.dropFirst()).allSatisfy { $0.logProbability >= $1.logProbability })
                for h in step {
                    #expect(h.tokens.count == (h.finished ? t : t + 1))
                    let reference = try Self.score(model, source: source, b, length: Self.lengths[b], tokens: h.tokens, stop: h.finished ? stop : nil)
                    #expect(Swift.abs(h.logProbability - reference) < 1e-12)
                }
            }
            #expect(r.best == r.finished[0])
            #expect(zip(r.finished, r.finished.dropFirst()).allSatisfy { $0.logProbability >= $1.logProbability })
            // Stopped early only when k finished hypotheses beat the best one still live.
            if r.steps.count < 6, let last = r.steps.last, let live = last.first(where: { !$0.finished }) {
                #expect(r.finished.filter(\.finished).count >= k)
                #expect(r.finished[k - 1].logProbability >= live.logProbability)
            }
        }
    }

    @Test func errors() throws {
        let model = try Self.make(Config(), targetVocabulary: 4, seed: 1)
        let source = try ArchTest.tokens(Self.S, Self.B, vocabulary: Self.sourceVocabulary, seed: 1)
        #expect(ArchTest.throwsMessage("beam width must be at least 1, got 0") {
            _ = try model.beamSearch(source: source, start: 0, maxLength: 2, beamWidth: 0)
        })
        #expect(ArchTest.throwsMessage("stop token 4 is out of range 0..<4") {
            _ = try model.beamSearch(source: source, start: 0, maxLength: 2, beamWidth: 2, stop: 4)
        })
        #expect(ArchTest.throwsMessage("max_length must be ≥ 0") { _ = try model.beamSearch(source: source, start: 0, maxLength: -1, beamWidth: 2) })
        let empty = try model.beamSearch(source: source, start: 0, maxLength: 0, beamWidth: 2)
        #expect(empty.allSatisfy { $0.best.tokens.isEmpty && $0.steps.isEmpty })
    }
}
