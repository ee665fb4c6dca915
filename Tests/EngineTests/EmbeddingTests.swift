import Foundation
import Testing
@testable import Engine

/// ``Embedding`` (Linear.swift): PyTorch parity on the `embedding` fixture (with repeated ids,
/// whose gradients add), N(0, 1) initialisation and the messages for bad ids.
@Suite struct EmbeddingTests {
    @Test func matchesPyTorchFixtureWithRepeatedIndices() throws {
        let f = try TorchFixture.load("embedding")
        let table = try Embedding(count: try f.int("num_embeddings"), dimension: try f.int("embedding_dim"))
        #expect(table.namedParameters.map(\.name) == ["weight"])
        try table.loadStateDict(["weight": try f.tensor("weight")])

        let ids = try f.tensor("indices")
        #expect(Set(ids.storage).count < ids.count, "the fixture is meant to repeat an id")
        let y = try table(ids)
        #expect(y.shape == ids.shape + [table.dimension])
        f.expectClose(y, to: "y")
        try (y * f.tensor("dy")).sum().backward()
        f.expectClose(try #require(table.weight.grad), to: "grad.weight")
    }

    /// Looking up ids is multiplying one-hot rows by the table — values and gradients.
    @Test func lookupEqualsOneHotTimesTable() throws {
        let table = try Embedding(count: 6, dimension: 3, seed: 4)
        let ids: [Double] = [5, 0, 5, 2, 2, 2]
        let y = try table(try Tensor(shape: [2, 3], storage: ids))
        var oneHot = [Double](repeating: 0, count: ids.count * 6)
        for (k, id) in ids.enumerated() { oneHot[k * 6 + Int(id)] = 1 }
        let reference = try Tensor(shape: [6, 6], storage: oneHot).matmul(table.weight)
        expectClose(try y.reshape([6, 3]), reference.detach(), tol: 0, "lookup vs one-hot product")

        let dy = try randomTensor([2, 3, 3], seed: 5)
        try (y * dy).sum().backward()
        let lookupGrad = try #require(table.weight.grad)
        table.zeroGrad()
        try (reference * dy.reshape([6, 3])).sum().backward()
        expectClose(lookupGrad, try #require(table.weight.grad), tol: 1e-15, "gradient of repeated ids")
        // Unused rows get zero gradient.
        #expect(try lookupGrad[1].storage.allSatisfy { $0 == 0 })
    }

    @Test func idsOfAnyShape() throws {
        let table = try Embedding(count: 4, dimension: 2)
        #expect(try table(Tensor(3.0)).shape == [2])
        #expect(try table(Tensor([1, 2, 3])).shape == [3, 2])
        #expect(try table(Tensor.zeros([2, 0])).shape == [2, 0, 2])
        expectClose(try table(Tensor(3.0)), try table.weight[3], tol: 0, "scalar id")
    }

    /// PyTorch's default N(0, 1), seeded.
    @Test func initialisationIsStandardNormal() throws {
        let table = try Embedding(count: 1000, dimension: 20, seed: 7)
        let w = table.weight.storage
        let mean = w.reduce(0, +) / Double(w.count)
        let std = (w.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(w.count)).squareRoot()
        #expect(Swift.abs(mean) < 0.03, "mean \(mean)")
        #expect(Swift.abs(std - 1) < 0.03, "std \(std)")
        let beyondTwo = Double(w.filter { Swift.abs($0) > 2 }.count) / Double(w.count)
        #expect(Swift.abs(beyondTwo - 0.0455) < 0.01, "fraction beyond 2σ \(beyondTwo)")
        #expect(table.weight.requiresGrad)
        #expect(try Embedding(count: 1000, dimension: 20, seed: 7).weight.storage == w)
        #expect(try Embedding(count: 1000, dimension: 20, seed: 8).weight.storage != w)
    }

    @Test func errorsNameTheValueAndPosition() throws {
        let table = try Embedding(count: 10, dimension: 4)
        expectError(containing: ["1.5", "position 2", "not a whole number"], "non-integer id") {
            _ = try table(try Tensor(shape: [2, 2], storage: [0, 3, 1.5, 2]))
        }
        expectError(containing: ["id 10 at flat position 3 is outside 0..<10 (the table has 10 rows)"], "id equal to the count") {
            _ = try table(Tensor([0, 1, 9, 10]))
        }
        expectError(containing: ["-1", "position 0"], "negative id") { _ = try table(Tensor([-1, 2])) }
        expectError(containing: ["nan", "position 1"], "NaN id") { _ = try table(Tensor([0, .nan])) }
        expectError(containing: ["positive", "0"], "zero count") { _ = try Embedding(count: 0, dimension: 4) }
        expectError(containing: ["positive", "-3"], "negative dimension") { _ = try Embedding(count: 5, dimension: -3) }
    }
}
