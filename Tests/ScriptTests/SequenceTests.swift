import Testing
import Engine
@testable import Script

@Suite struct SequenceTests {
    @Test func paddingMaskLastStepOneHot() throws {
        let padded = try padSequences([[1, 2, 3], [4]], padding: 9, batchFirst: true)
        #expect(tensor("pad_sequences(list([1, 2, 3], [4]), padding: 9, batch_first: true).ids").storage == padded.ids.storage)
        #expect(show("pad_sequences(list([1, 2, 3], [4])).lengths") == "[3, 1]")
        #expect(tensor("mask([3, 1], 4, batch_first: true)").storage == (try maskFromLengths([3, 1], steps: 4, batchFirst: true)).storage)
        let out = try Tensor.randn([4, 2, 3], seed: 0)
        let i = Interpreter()
        define("out", .tensor(out), in: i)
        #expect(tensor("last_step(out, [4, 2])", in: i).storage == (try lastValidStep(out, lengths: [4, 2])).storage)
        #expect(show("one_hot([[0, 2]], 3)") == "tensor([[[1, 0, 0], [0, 0, 1]]])")
        #expect(failure("one_hot([1], 1e9)").message.contains("too many") || failure("one_hot([1], 1e9)").message.contains("id"))
        #expect(failure("one_hot(zeros(100000), 1e6)").message.contains("too many elements"))
        #expect(failure("pad_sequences(3)").message.contains("list of id lists"))
    }
}
