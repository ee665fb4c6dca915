import Testing
@testable import Engine

/// `Shape.multiIndex` names an element the way a learner indexes it. It must invert the row-major
/// offset Σᵢ indexᵢ · strideᵢ for every element, which the test checks against the strides
/// computed independently from the shape.
@Suite struct ShapeTests {
    @Test(arguments: [[2, 3, 4], [5], [1, 1, 7], [3, 1, 2, 2]])
    func multiIndexInvertsTheRowMajorOffset(_ shape: [Int]) {
        var strides = [Int](repeating: 1, count: shape.count)
        for axis in stride(from: shape.count - 2, through: 0, by: -1) { strides[axis] = strides[axis + 1] * shape[axis + 1] }
        var seen = Set<[Int]>()
        for flat in 0..<Shape.count(shape) {
            let index = Shape.multiIndex(flat, shape: shape)
            #expect(index.count == shape.count)
            #expect(zip(index, shape).allSatisfy { $0 >= 0 && $0 < $1 }, "\(index) outside \(shape)")
            #expect(zip(index, strides).map(*).reduce(0, +) == flat)
            seen.insert(index)
        }
        #expect(seen.count == Shape.count(shape))
    }

    @Test func multiIndexOfAKnownElement() {
        #expect(Shape.multiIndex(23, shape: [2, 3, 4]) == [1, 2, 3])
        #expect(Shape.multiIndex(5, shape: [2, 3]) == [1, 2])
        #expect(Shape.multiIndex(0, shape: []) == [])
    }

    @Test func aZeroSizedAxisStaysAtZero() {
        #expect(Shape.multiIndex(0, shape: [0, 3]) == [0, 0])
    }
}
