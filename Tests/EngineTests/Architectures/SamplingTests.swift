import Foundation
import Testing
@testable import Engine

/// Greedy, temperature, top-k and top-p: the distributions on hand-made logits whose answers are
/// known on paper, the rules at the edges (ties, k = 1, k ≥ V, p → 0, p = 1), the order of the
/// steps, the argument errors, and draws whose frequencies match the filtered distribution.
@Suite struct SamplingTests {
    /// Entries equal to 1e-15, and the zeros exactly zero.
    static func same(_ a: [Double], _ b: [Double]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { $1 == 0 ? $0 == 0 : Swift.abs($0 - $1) < 1e-15 }
    }

    static func normalised(_ w: [Double]) -> [Double] {
        let s = w.reduce(0, +)
        return w.map { $0 / s }
    }

    @Test func probabilitiesFollowTheTemperature() throws {
        let z = [2.0, 1.0, 0.0]
        let p1 = try Sampling.probabilities(z, temperature: 1)
        let e = z.map { Foundation.exp($0) }, s = e.reduce(0, +)
        #expect(zip(p1, e).allSatisfy { Swift.abs($0 - $1 / s) < 1e-15 })
        #expect(try Sampling.probabilities(z, temperature: 0) == [1, 0, 0])
        let hot = try Sampling.probabilities(z, temperature: 1000)
        #expect(hot.allSatisfy { Swift.abs($0 - 1.0 / 3) < 1e-3 })
        let cold = try Sampling.probabilities(z, temperature: 0.01)
        #expect(cold[0] > 0.999 && cold[1] < 1e-40)
        #expect(Sampling.argmax([1, 3, 3, 0]) == 1)
    }

    /// Top-k keeps every logit ≥ the k-th largest: ties at the boundary are all kept.
    @Test func topKKeepsTheLargestLogitsAndTheirTies() throws {
        let z = [3.0, 1.0, 2.0, 0.0, 2.0]                     // sorted: 3, 2, 2, 1, 0
        let e = z.map { Foundation.exp($0) }
        let full = try Sampling.probabilities(z, temperature: 1)
        #expect(Self.same(try Sampling.probabilities(z, temperature: 1, topK: 1), [1, 0, 0, 0, 0]))   // k = 1: greedy
        let tied = Self.normalised([e[0], 0, e[2], 0, e[4]])
        #expect(Self.same(try Sampling.probabilities(z, temperature: 1, topK: 2), tied))              // the tie at 2 kept: 3 tokens
        #expect(Self.same(try Sampling.probabilities(z, temperature: 1, topK: 3), tied))
        #expect(Self.same(try Sampling.probabilities(z, temperature: 1, topK: 4), Self.normalised([e[0], e[1], e[2], 0, e[4]])))
        #expect(try Sampling.probabilities(z, temperature: 1, topK: 5) == full)                        // k ≥ V: no filter
        #expect(try Sampling.probabilities(z, temperature: 1, topK: 1000) == full)
        // Tied maxima: k = 1 keeps both, evenly; greedy (τ = 0) takes the first.
        #expect(Self.same(try Sampling.probabilities([1, 4, 4, 0], temperature: 1, topK: 1), [0, 0.5, 0.5, 0]))
        #expect(try Sampling.probabilities([1, 4, 4, 0], temperature: 0, topK: 1) == [0, 1, 0, 0])
        // The kept set does not depend on the temperature (it keeps the order), the probabilities do.
        let cold = try Sampling.probabilities(z, temperature: 0.5, topK: 2)
        #expect(Self.same(cold, Self.normalised([Foundation.exp(6), 0, Foundation.exp(4), 0, Foundation.exp(4)])))
    }

    /// Top-p keeps the fewest most probable tokens whose probability reaches p.
    @Test func topPKeepsTheSmallestNucleusThatReachesP() throws {
        let p = [0.1, 0.4, 0.2, 0.3]                          // sorted: 0.4, 0.3, 0.2, 0.1
        let z = p.map { Foundation.log($0) }
        let full = try Sampling.probabilities(z, temperature: 1)
        #expect(Self.same(full, p))
        #expect(Self.same(try Sampling.probabilities(z, temperature: 1, topP: 0.4), [0, 1, 0, 0]))    // 0.4 reaches 0.4
        #expect(Self.same(try Sampling.probabilities(z, temperature: 1, topP: 0.5), [0, 4.0 / 7, 0, 3.0 / 7]))
        // 0.4 + 0.3 reaches 0.7 on paper; rounding must not add the next token.
        #expect(Self.same(try Sampling.probabilities(z, temperature: 1, topP: 0.7), [0, 4.0 / 7, 0, 3.0 / 7]))
        #expect(Self.same(try Sampling.probabilities(z, temperature: 1, topP: 0.71), [0, 4.0 / 9, 2.0 / 9, 3.0 / 9]))
        #expect(Self.same(try Sampling.probabilities(z, temperature: 1, topP: 0.95), p))              // needs all four
        #expect(try Sampling.probabilities(z, temperature: 1, topP: 1) == full)                        // p = 1: no filter
        // p → 0: only the most probable token, as greedy.
        for tiny in [1e-300, 1e-9, 0.01] {
            #expect(Self.same(try Sampling.probabilities(z, temperature: 1, topP: tiny), [0, 1, 0, 0]))
        }
        // Ties: the second token already reaches 0.5, and the two tied with it are kept too.
        let ties = [0.4, 0.2, 0.2, 0.2].map { Foundation.log($0) }
        #expect(Self.same(try Sampling.probabilities(ties, temperature: 1, topP: 0.5), [0.4, 0.2, 0.2, 0.2]))
        // A masked token (−∞) is never in the nucleus.
        let masked = [0.0, -.infinity, 0.0]
        #expect(Self.same(try Sampling.probabilities(masked, temperature: 1, topP: 1), [0.5, 0, 0.5]))
        #expect(Self.same(try Sampling.probabilities(masked, temperature: 1, topP: 0.99), [0.5, 0, 0.5]))
    }

    /// Temperature first, then top-k, then top-p on the renormalised top-k distribution.
    @Test func theStepsComeInHuggingFacesOrder() throws {
        let z = [0.5, 0.3, 0.15, 0.05].map { Foundation.log($0) }
        // τ = 1: 0.5 + 0.3 = 0.8 < 0.9, so the nucleus needs three tokens.
        #expect(Self.same(try Sampling.probabilities(z, temperature: 1, topP: 0.9), [0.5 / 0.95, 0.3 / 0.95, 0.15 / 0.95, 0]))
        // τ = 0.5 squares the probabilities first: 0.25, 0.09, 0.0225, 0.0025 (sum 0.365), and
        // (0.25 + 0.09) / 0.365 = 0.93 already reaches 0.9 with two tokens.
        #expect(Self.same(try Sampling.probabilities(z, temperature: 0.5, topP: 0.9), [0.25 / 0.34, 0.09 / 0.34, 0, 0]))
        // Top-k then top-p: k = 2 leaves 0.35/0.6 = 0.58 ≥ 0.5 on the first token alone. (Top-p on the
        // unfiltered 0.35, 0.25, 0.2, 0.2 would need two tokens.)
        let w = [0.35, 0.25, 0.2, 0.2].map { Foundation.log($0) }
        #expect(Self.same(try Sampling.probabilities(w, temperature: 1, topK: 2, topP: 0.5), [1, 0, 0, 0]))
        #expect(Self.same(try Sampling.probabilities(w, temperature: 1, topK: 3, topP: 0.9), Self.normalised([0.35, 0.25, 0.2, 0.2])))
        #expect(Self.same(try Sampling.probabilities(w, temperature: 1, topK: 2, topP: 0.8), [0.35 / 0.6, 0.25 / 0.6, 0, 0]))
        // Greedy is unchanged by any filter: both always keep the most probable token.
        var g = RandomGenerator(seed: 4)
        for k in [1, 2, 10] {
            for p in [0.1, 0.9, 1] {
                #expect(try Sampling.probabilities(w, temperature: 0, topK: k, topP: p) == [1, 0, 0, 0])
                #expect(try Sampling.sample(w, temperature: 0, topK: k, topP: p, generator: &g) == 0)
            }
        }
        #expect(g.nextCopy() == RandomGenerator(seed: 4).nextCopy())  // greedy draws nothing
    }

    @Test func drawsMatchTheDistribution() throws {
        let p = [0.5, 0.3, 0.2, 0.0]
        let logits = p.map { Foundation.log($0) }                                   // log 0 = −∞: never drawn
        var g = RandomGenerator(seed: 17)
        var counts = [0, 0, 0, 0]
        for _ in 0..<20_000 { counts[try Sampling.sample(logits, temperature: 1, generator: &g)] += 1 }
        for i in 0..<3 { #expect(Swift.abs(Double(counts[i]) / 20_000 - p[i]) < 0.015, "\(counts)") }
        #expect(counts[3] == 0)
        var unused = RandomGenerator(seed: 1)
        #expect(try Sampling.sample([0, 5, 1], temperature: 0, generator: &unused) == 1)
        #expect(unused.next() == RandomGenerator(seed: 1).nextCopy())  // greedy draws nothing
    }

    /// With a fixed seed, 40,000 filtered draws land on each kept token at its renormalised
    /// probability (within 4 standard errors) and never on a removed one, though the removed
    /// tokens hold more than 5% of the unfiltered probability (more than 2,000 draws). With
    /// (5, 0.95) top-p alone would keep five tokens; after top-k 5 it keeps four.
    @Test(arguments: [(4, nil), (nil, 0.8), (5, 0.95)] as [(Int?, Double?)])
    func filteredDrawsMatchTheFilteredDistribution(_ topK: Int?, _ topP: Double?) throws {
        let z = [1.0, 2.0, -0.5, 1.5, 0.0, 0.5, -1.0]
        let full = try Sampling.probabilities(z, temperature: 0.8)
        let q = try Sampling.probabilities(z, temperature: 0.8, topK: topK, topP: topP)
        let removed = q.indices.filter { q[$0] == 0 }
        #expect(!removed.isEmpty && removed.map { full[$0] }.reduce(0, +) > 0.05)
        let n = 40_000
        var counts = [Int](repeating: 0, count: z.count)
        var g = RandomGenerator(seed: 2020)
        for _ in 0..<n { counts[try Sampling.sample(z, temperature: 0.8, topK: topK, topP: topP, generator: &g)] += 1 }
        for i in z.indices {
            let f = Double(counts[i]) / Double(n)
            if q[i] == 0 {
                #expect(counts[i] == 0, "token \(i) was removed but drawn \(counts[i]) times")
            } else {
                let se = (q[i] * (1 - q[i]) / Double(n)).squareRoot()
                #expect(Swift.abs(f - q[i]) < 4 * se, "token \(i): \(f) vs \(q[i])")
            }
        }
    }

    /// Against Hugging Face's own `TemperatureLogitsWarper`, `TopKLogitsWarper` and
    /// `TopPLogitsWarper`, applied in `generate`'s order, on random float64 logits
    /// (`scripts/make_sampling_fixture.py`): every probability to 1e-12.
    @Test func matchesHuggingFacesWarpers() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/transformers/sampling_filters.json")
        let root = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        let cases = try #require(root["cases"] as? [[String: Any]])
        #expect(cases.count >= 30)
        var filtered = 0
        for (n, c) in cases.enumerated() {
            let logits = try #require(c["logits"] as? [Double]), expected = try #require(c["probs"] as? [Double])
            let t = try #require(c["temperature"] as? Double)
            let k = c["top_k"] as? Int, p = c["top_p"] as? Double
            let mine = try Sampling.probabilities(logits, temperature: t, topK: k, topP: p)
            #expect(mine.count == expected.count)
            for i in expected.indices {
                #expect(Swift.abs(mine[i] - expected[i]) <= 1e-12, "case \(n) (τ \(t), k \(String(describing: k)), p \(String(describing: p))) token \(i): \(mine[i]) vs \(expected[i])")
                #expect((mine[i] == 0) == (expected[i] == 0), "case \(n) token \(i): kept by one side only")
            }
            if expected.contains(0) { filtered += 1 }
        }
        #expect(filtered >= 25)   // the filters really removed tokens
    }

    @Test func rejectsBadArguments() {
        var g = RandomGenerator(seed: 1)
        #expect(ArchTest.throwsMessage("temperature") { _ = try Sampling.sample([1, 2], temperature: -1, generator: &g) })
        #expect(ArchTest.throwsMessage("temperature") { _ = try Sampling.sample([1, 2], temperature: .infinity, generator: &g) })
        #expect(ArchTest.throwsMessage("no logits") { _ = try Sampling.sample([], temperature: 1, generator: &g) })
        #expect(ArchTest.throwsMessage("NaN") { _ = try Sampling.sample([1, .nan], temperature: 1, generator: &g) })
        for k in [0, -3] {
            #expect(ArchTest.throwsMessage("top_k must be at least 1") { _ = try Sampling.sample([1, 2], temperature: 1, topK: k, generator: &g) })
            #expect(ArchTest.throwsMessage("top_k must be at least 1") { _ = try Sampling.probabilities([1, 2], temperature: 0, topK: k) })
        }
        for p in [0, -0.1, 1.5, .nan, .infinity] {
            #expect(ArchTest.throwsMessage("top_p must be more than 0 and at most 1") {
                _ = try Sampling.sample([1, 2], temperature: 1, topP: p, generator: &g)
            })
            #expect(ArchTest.throwsMessage("top_p must be more than 0 and at most 1") {
                _ = try Sampling.sample([1, 2], temperature: 0, topP: p, generator: &g)
            })
        }
    }
}

extension RandomGenerator {
    /// The first number a copy would draw, leaving the original untouched.
    func nextCopy() -> UInt64 {
        var copy = self
        return copy.next()
    }
}
