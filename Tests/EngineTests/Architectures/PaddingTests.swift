import Foundation
import Testing
@testable import Engine

@Suite struct PaddingTests {
    @Test func maskMarksRealSteps() throws {
        let mask = try maskFromLengths([3, 1, 2], steps: 3)
        #expect(mask.shape == [3, 3])
        #expect(mask.storage == [1, 1, 1,
                                 1, 0, 1,
                                 1, 0, 0])
        let batchFirst = try maskFromLengths([3, 1, 2], steps: 4, batchFirst: true)
        #expect(batchFirst.shape == [3, 4])
        #expect(batchFirst.storage == [1, 1, 1, 0,  1, 0, 0, 0,  1, 1, 0, 0])
        #expect(ArchTest.throwsMessage("outside 0…3") { _ = try maskFromLengths([4], steps: 3) })
    }

    @Test func padSequencesPadsAfterEachEnd() throws {
        let (ids, lengths) = try padSequences([[5, 6, 7], [8], [9, 4]], padding: 0)
        #expect(lengths == [3, 1, 2])
        #expect(ids.shape == [3, 3])
        #expect(ids.storage == [5, 8, 9,  6, 0, 4,  7, 0, 0])
        let (bf, _) = try padSequences([[5, 6, 7], [8]], padding: -1, batchFirst: true)
        #expect(bf.shape == [2, 3])
        #expect(bf.storage == [5, 6, 7, 8, -1, -1])
    }

    @Test func lastValidStepGathersEachSequencesOwnEnd() throws {
        let output = try Tensor.randn([4, 3, 2], seed: 1)
        let lengths = [4, 1, 3]
        let last = try lastValidStep(output, lengths: lengths)
        #expect(last.shape == [3, 2])
        for b in 0..<3 { for f in 0..<2 {
            #expect(try last.element([b, f]) == output.element([lengths[b] - 1, b, f]))
        } }
        let bf = try lastValidStep(output.transpose(0, 1), lengths: lengths, batchFirst: true)
        #expect(bf.storage == last.storage)
        // The gradient reaches exactly the gathered steps.
        output.requiresGrad = true
        try lastValidStep(output, lengths: lengths).sum().backward()
        let g = try #require(output.grad)
        for t in 0..<4 { for b in 0..<3 {
            #expect(try g.element([t, b, 0]) == (t == lengths[b] - 1 ? 1 : 0))
        } }
    }

    @Test func lengthsAreChecked() throws {
        let output = try Tensor.randn([4, 2, 2], seed: 1)
        #expect(ArchTest.throwsMessage("length 5 of sequence 1 is outside 1…4") { _ = try lastValidStep(output, lengths: [2, 5]) })
        #expect(ArchTest.throwsMessage("length 0 of sequence 0") { _ = try lastValidStep(output, lengths: [0, 1]) })
        #expect(ArchTest.throwsMessage("got 3 lengths for a batch of 2") { _ = try lastValidStep(output, lengths: [1, 1, 1]) })
        let layer = try RecurrentLayer(.gru, inputSize: 2, hiddenSize: 3)
        #expect(ArchTest.throwsMessage("outside 1…4") { _ = try layer.runPacked(output, lengths: [4, 7]) })
    }

    /// runPacked gives, for every sequence, exactly what running that sequence alone gives.
    @Test(arguments: [RecurrentKind.lstm, .gru, .rnnTanh])
    func runPackedEqualsEachSequenceAlone(_ kind: RecurrentKind) throws {
        let layer = try RecurrentLayer(kind, inputSize: 3, hiddenSize: 4, numLayers: 2, bidirectional: true, seed: 7)
        let lengths = [5, 2, 5, 3]
        let x = try Tensor.randn([5, 4, 3], seed: 2)
        let h0 = try Tensor.randn([4, 4, 4], seed: 3)
        let c0 = kind == .lstm ? try Tensor.randn([4, 4, 4], seed: 4) : nil
        let packed = try layer.runPacked(x, lengths: lengths, h0: h0, c0: c0)
        #expect(packed.output.shape == [5, 4, 8])
        #expect(packed.hn.shape == [4, 4, 4])
        for (b, n) in lengths.enumerated() {
            let alone = try layer(ArchTest.column(x, b, steps: n), h0: h0.index([.all, .slice(start: b, stop: b + 1)]),
                                  c0: c0?.index([.all, .slice(start: b, stop: b + 1)]))
            #expect(ArchTest.close(try ArchTest.column(packed.output, b, steps: n), alone.output))
            #expect(ArchTest.close(try packed.hn.index([.all, .slice(start: b, stop: b + 1)]), alone.hn))
            if let cn = packed.cn {
                #expect(ArchTest.close(try cn.index([.all, .slice(start: b, stop: b + 1)]), try #require(alone.cn)))
            }
            // Padded steps of the output are zero, as pad_packed_sequence leaves them.
            for t in n..<5 { #expect(try packed.output[t][b].storage.allSatisfy { $0 == 0 }) }
        }
    }

    @Test func runPackedWithFullLengthsIsAnOrdinaryCall() throws {
        let layer = try RecurrentLayer(.lstm, inputSize: 2, hiddenSize: 3, bidirectional: true, seed: 1)
        let x = try Tensor.randn([4, 2, 2], seed: 5)
        let packed = try layer.runPacked(x, lengths: [4, 4]), plain = try layer(x)
        #expect(packed.output.storage == plain.output.storage && packed.hn.storage == plain.hn.storage)
    }

    @Test func runPackedHonoursABatchFirstLayer() throws {
        let timeMajor = try RecurrentLayer(.gru, inputSize: 2, hiddenSize: 3, bidirectional: true, seed: 9)
        let batchFirst = try RecurrentLayer(.gru, inputSize: 2, hiddenSize: 3, batchFirst: true, bidirectional: true, seed: 9)
        let x = try Tensor.randn([4, 3, 2], seed: 6), lengths = [4, 1, 2]
        let a = try timeMajor.runPacked(x, lengths: lengths)
        let b = try batchFirst.runPacked(x.transpose(0, 1), lengths: lengths)
        #expect(ArchTest.close(a.output, try b.output.transpose(0, 1)))
        #expect(ArchTest.close(a.hn, b.hn))
    }

    @Test func runPackedIsDifferentiable() throws {
        let layer = try RecurrentLayer(.lstm, inputSize: 2, hiddenSize: 2, bidirectional: true, seed: 3)
        let x = try Tensor.randn([3, 3, 2], seed: 8)
        let result = try gradcheck([x, layer.weights[0][1].weightHH]) { xs in
            let run = try layer.runPacked(xs[0], lengths: [3, 1, 2])
            return try Tensor.concat([run.output.reshape([-1]), run.hn.reshape([-1]), run.cn!.reshape([-1])])
        }
        #expect(result.passed, "\(result)")
    }
}
