import Testing
@testable import Engine

@Test func matmulOfSmallMatrices() throws {
    let a = try Tensor(literal: [[1, 2], [3, 4]])
    let b = try Tensor(literal: [[5, 6], [7, 8]])
    #expect(try a.matmul(b).storage == [19, 22, 43, 50])
}
