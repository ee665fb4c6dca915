import Engine
import Script
import Testing
@testable import Tutorial

/// A wrong expression answer says how it differs from the key, without the key's numbers until the
/// last try.
@Suite struct DiagnosisTests {
    func session() -> Interpreter {
        let i = Interpreter()
        _ = i.run("A = [[1, 2, 3], [4, 5, 6]]\nS = [[1, 2], [3, 4]]\nv = [1, 2, 3]")
        return i
    }

    func reason(_ input: String, key: String, revealing: Bool = false) -> String? {
        if case let .incorrect(reason) = Grader.gradeExpression(input, key: key, tolerance: Tolerance(), revealing: revealing, in: session()) {
            return reason
        }
        return nil
    }

    @Test func aShapeMismatchNamesBothShapes() {
        #expect(reason("A", key: "A.T * 2") == "your value has shape (2, 3); the answer has shape (3, 2)")
        #expect(reason("v", key: "S") == "your value has shape (3,); the answer has shape (2, 2)")
    }

    @Test func aTransposedValueIsCalledSo() {
        #expect(reason("A", key: "A.T") == "your value is the answer transposed")
        #expect(reason("S", key: "S.T") == "your value is the answer transposed")
    }

    @Test func aSignFlippedEverywhereIsCalledSo() {
        #expect(reason("-A", key: "A") == "your value is the answer with every sign flipped")
        #expect(reason("-3", key: "3") == "your value is -3: the sign is flipped")
    }

    @Test func aConstantFactorIsNamed() {
        #expect(reason("A * 2", key: "A") == "your value is the answer × 2")
        #expect(reason("v / 2", key: "v") == "your value is the answer × 0.5")
    }

    @Test func differingElementsAreCountedWithTheFirstIndex() {
        #expect(reason("A + [[0, 0, 0], [0, 1, 1]]", key: "A") == "your value: 2 of 6 elements differ, the first at [1, 1]")
        #expect(reason("v + [5, 0, 1]", key: "v") == "your value: 2 of 3 elements differ, the first at [0]")
        #expect(reason("A + 1", key: "A") == "your value: all 6 elements differ, the first at [0, 0]")
    }

    @Test func theKeysNumbersAppearOnlyWhenRevealing() {
        let hidden = reason("v + [0, 0, 0.25]", key: "v")
        #expect(hidden == "your value: 1 of 3 elements differ, the first at [2]")
        let shown = reason("v + [0, 0, 0.25]", key: "v", revealing: true)
        #expect(shown == "your value: 1 of 3 elements differ, the first at [2] (yours is 3.25, the answer's is 3)")
        #expect(reason("7", key: "5") == "your value is 7, which is not the answer")
        #expect(reason("7", key: "5", revealing: true) == "your value is 7; the answer is 5")
        // Scalars: no "× factor", which would give the answer away.
        #expect(reason("10", key: "5")?.contains("×") == false)
    }

    @Test func nestedValuesSayWhere() {
        #expect(reason("[v, 2 * v]", key: "[v, v]") == "your value at [1] is the answer × 2")
        #expect(reason("[1, 2]", key: "[1, 2, 3]") == "your value has shape (2,); the answer has shape (3,)")
        #expect(reason("\"b\"", key: "\"a\"") == "your value is \"b\", a different text")
    }
}
