import Testing
import Engine
@testable import Script

/// Indexing and slicing follow NumPy (checked against what NumPy prints for the same expressions).
@Suite struct IndexingTests {
    let setup = "x = reshape(arange(24), 2, 3, 4)\nv = arange(6)\n"

    @Test func integersAndNegatives() {
        #expect(show(setup + "v[0]") == "tensor(0)")
        #expect(show(setup + "v[-1]") == "tensor(5)")
        #expect(show(setup + "x[1, 2]") == "tensor([20, 21, 22, 23])")
        #expect(show(setup + "x[1][2][3]") == "tensor(23)")
        #expect(show(setup + "x[-1, -1, -1]") == "tensor(23)")
    }

    @Test func slices() {
        #expect(show(setup + "v[1:3]") == "tensor([1, 2])")
        #expect(show(setup + "v[::-1]") == "tensor([5, 4, 3, 2, 1, 0])")
        #expect(show(setup + "v[::2]") == "tensor([0, 2, 4])")
        #expect(show(setup + "v[-2:]") == "tensor([4, 5])")
        #expect(show(setup + "v[:-4]") == "tensor([0, 1])")
        #expect(show(setup + "v[4:1:-1]") == "tensor([4, 3, 2])")
        #expect(show(setup + "v[10:]") == "tensor([])")
        #expect(show(setup + "v[-100:2]") == "tensor([0, 1])")
        #expect(show(setup + "x[:, 0].shape") == "[2, 4]")
        #expect(show(setup + "x[:, :, 1]") == "tensor([[1, 5, 9], [13, 17, 21]])")
        #expect(show(setup + "x[0, 1:, ::3]") == "tensor([[4, 7], [8, 11]])")
        #expect(show(setup + "x[1]") == show(setup + "x[1, :, :]"))
    }

    @Test func newAxisAndPositionLists() {
        #expect(show(setup + "v[none].shape") == "[1, 6]")
        #expect(show(setup + "v[:, none].shape") == "[6, 1]")
        #expect(show(setup + "v[[4, 0, 4]]") == "tensor([4, 0, 4])")
        #expect(show(setup + "x[:, [2, 0], 0]") == "tensor([[8, 0], [20, 12]])")
    }

    @Test func indexWithTensorScalars() {
        #expect(show(setup + "v[argmax(v)]") == "tensor(5)")
        #expect(show(setup + "v[v[2]]") == "tensor(2)")
    }

    @Test func listsAndStrings() {
        #expect(show("xs = list(1, \"a\", 3); xs[1]") == "\"a\"")
        #expect(show("xs = list(1, 2, 3, 4); xs[1:3]") == "[2, 3]")
        #expect(show("xs = list(1, 2, 3, 4); xs[::-1]") == "[4, 3, 2, 1]")
        #expect(show("\"hello\"[1:4]") == "\"ell\"")
        #expect(show("(0..<10)[-1]") == "9")
    }

    @Test func outOfRange() {
        #expect(failure(setup + "v[6]").message == "index 6 is out of range for axis 0 of size 6")
        #expect(failure(setup + "x[0, 3]").message.contains("out of range for axis 1 of size 3"))
        #expect(failure("xs = list(1, 2); xs[2]").message == "index 2 is out of range for a list of length 2")
        #expect(failure(setup + "x[0, 0, 0, 0]").message.contains("too many indices"))
        #expect(failure(setup + "v[1.5]").message.contains("whole number"))
        #expect(failure(setup + "v[::0]").message.contains("step cannot be zero"))
        #expect(failure("5[0]").message.contains("cannot be indexed"))
    }

    @Test func assignmentIntoTensorsAndLists() {
        #expect(show("v = zeros(4); v[1] = 5; v") == "tensor([0, 5, 0, 0])")
        #expect(show("m = zeros(2, 3); m[:, 0] = [1, 2]; m") == "tensor([[1, 0, 0], [2, 0, 0]])")
        #expect(show("m = zeros(2, 2); m[0] = 7; m") == "tensor([[7, 7], [0, 0]])")
        #expect(show("m = zeros(2, 3); m[:, ::2] = 1; m") == "tensor([[1, 0, 1], [1, 0, 1]])")
        #expect(show("xs = list(1, 2, 3); xs[-1] = 9; xs") == "[1, 2, 9]")
        #expect(show("xs = list(list(1, 2), list(3)); xs[0][1] = 7; xs") == "[[1, 7], [3]]")
        // A value that does not fit the selection is named with the target as written.
        let wrongShape = failure("v = zeros(2, 2)\nv[:] = eye(3)")
        #expect(wrongShape.message == "cannot assign a (3, 3) tensor to v[:], which is (2, 2) (the value must have that shape or broadcast to it)")
        #expect(wrongShape.location?.line == 2)
        #expect(wrongShape.location?.column == 1)
        #expect(failure("m = zeros(2, 2); m[0] = [1, 2, 3]").location?.column == 18)
        #expect(failure("v = zeros(2, 2); v[0] = [1, 2, 3]").message
                == "cannot assign a (3,) tensor to v[0], which is (2,) (the value must have that shape or broadcast to it)")
        #expect(failure("m = zeros(3, 4); i = 1; m[i + 1, 1:3] = ones(3)").message.hasPrefix("cannot assign a (3,) tensor to m[i + 1, 1:3], which is (2,)"))
        // A value that broadcasts the other way round (to a bigger shape) does not fit either.
        #expect(failure("m = zeros(1, 2); m[:] = zeros(3, 2)").message.hasPrefix("cannot assign a (3, 2) tensor to m[:], which is (1, 2)"))
        #expect(show("m = zeros(2, 2); m[:] = [[1], [2]]; m") == "tensor([[1, 1], [2, 2]])")
        // A parameter changes in place only without gradient recording.
        #expect(failure("w = param([1, 2]); w[0] = 3").message.contains("requires a gradient"))
        #expect(show("w = param([1, 2]); no_grad { w[0] = 3 }; w") == "tensor([3, 2])")
    }
}
