import Engine
import Testing
@testable import Terminal

/// Expected bodies are NumPy 2's own output, obtained with
///     python3 -c 'import numpy as np; np.set_printoptions(precision=4); print(<array>)'
/// (the arrays are repeated in each test). Our summary marker is `…` where NumPy prints `...`;
/// NumPy's line width is 75, passed here as `width: 75`.
@Suite struct TensorFormatterTests {
    /// Token ids and counts stay whole numbers even when NumPy's ratio rule would go scientific.
    @Test func wholeNumbersStayWhole() {
        #expect(body([3], [1357, 8, 40]) == "[1357.    8.   40.]")
        #expect(body([2], [1357, 0.5]) == "[1.357e+03 5.000e-01]")
    }

    let numpy = RenderOptions(width: 75)

    func body(_ shape: [Int], _ values: [Double]) -> String {
        TensorFormatter.formatBody(shape: shape, values: values, options: numpy)
    }

    @Test func vector() {
        // np.array([0.1, -1.5, 2.0, 3.14159265])
        #expect(body([4], [0.1, -1.5, 2.0, 3.14159265]) == "[ 0.1    -1.5     2.      3.1416]")
    }

    @Test func matrixWithSmallValueGoesScientific() {
        // np.array([[1.0, 2.5, -3.25], [10.125, 0.0, -0.0001234]])
        #expect(body([2, 3], [1.0, 2.5, -3.25, 10.125, 0.0, -0.0001234]) == """
            [[ 1.0000e+00  2.5000e+00 -3.2500e+00]
             [ 1.0125e+01  0.0000e+00 -1.2340e-04]]
            """)
    }

    @Test func integralValues() {
        // np.array([[1.0, 2.0], [3.0, 4.0]])
        #expect(body([2, 2], [1, 2, 3, 4]) == "[[1. 2.]\n [3. 4.]]")
    }

    @Test func threeDimensional() {
        // np.arange(24, dtype=float).reshape(2, 3, 4) / 7 - 1
        #expect(body([2, 3, 4], (0..<24).map { Double($0) / 7 - 1 }) == """
            [[[-1.     -0.8571 -0.7143 -0.5714]
              [-0.4286 -0.2857 -0.1429  0.    ]
              [ 0.1429  0.2857  0.4286  0.5714]]

             [[ 0.7143  0.8571  1.      1.1429]
              [ 1.2857  1.4286  1.5714  1.7143]
              [ 1.8571  2.      2.1429  2.2857]]]
            """)
    }

    @Test func fourDimensional() {
        // np.arange(16, dtype=float).reshape(2, 2, 2, 2) * 0.5
        #expect(body([2, 2, 2, 2], (0..<16).map { Double($0) * 0.5 }) == """
            [[[[0.  0.5]
               [1.  1.5]]

              [[2.  2.5]
               [3.  3.5]]]


             [[[4.  4.5]
               [5.  5.5]]

              [[6.  6.5]
               [7.  7.5]]]]
            """)
    }

    @Test func mixedMagnitudes() {
        // np.array([1e-5, 1.0, 1234.5678])
        #expect(body([3], [1e-5, 1.0, 1234.5678]) == "[1.0000e-05 1.0000e+00 1.2346e+03]")
        // np.array([1.5e9, -2.0, 3.0])
        #expect(body([3], [1.5e9, -2.0, 3.0]) == "[ 1.5e+09 -2.0e+00  3.0e+00]")
        // np.array([1e-10, 2e-10])
        #expect(body([2], [1e-10, 2e-10]) == "[1.e-10 2.e-10]")
    }

    @Test func negatives() {
        // np.array([[-1.0, -0.5], [-0.25, -0.125]])
        #expect(body([2, 2], [-1, -0.5, -0.25, -0.125]) == "[[-1.    -0.5  ]\n [-0.25  -0.125]]")
    }

    @Test func nanAndInfinity() {
        // np.array([np.nan, 1.0, -np.inf, 2.5])
        #expect(body([4], [.nan, 1, -.infinity, 2.5]) == "[ nan  1.  -inf  2.5]")
        // np.array([np.nan, np.nan])
        #expect(body([2], [.nan, .nan]) == "[nan nan]")
    }

    @Test func summarisedVector() {
        // np.arange(2000, dtype=float) / 3
        #expect(body([2000], (0..<2000).map { Double($0) / 3 })
            == "[0.0000e+00 3.3333e-01 6.6667e-01 … 6.6567e+02 6.6600e+02 6.6633e+02]")
    }

    @Test func summarisedMatrix() {
        // (np.arange(50*40, dtype=float).reshape(50, 40) - 1000) / 100
        #expect(body([50, 40], (0..<2000).map { (Double($0) - 1000) / 100 }) == """
            [[-10.    -9.99  -9.98 …  -9.63  -9.62  -9.61]
             [ -9.6   -9.59  -9.58 …  -9.23  -9.22  -9.21]
             [ -9.2   -9.19  -9.18 …  -8.83  -8.82  -8.81]
             …
             [  8.8    8.81   8.82 …   9.17   9.18   9.19]
             [  9.2    9.21   9.22 …   9.57   9.58   9.59]
             [  9.6    9.61   9.62 …   9.97   9.98   9.99]]
            """)
    }

    @Test func longRowsWrapAtTheLineWidth() {
        // np.linspace(-1, 1, 30)
        let values = (0..<30).map { $0 == 29 ? 1.0 : -1 + Double($0) * (2.0 / 29) }
        #expect(body([30], values) == """
            [-1.     -0.931  -0.8621 -0.7931 -0.7241 -0.6552 -0.5862 -0.5172 -0.4483
             -0.3793 -0.3103 -0.2414 -0.1724 -0.1034 -0.0345  0.0345  0.1034  0.1724
              0.2414  0.3103  0.3793  0.4483  0.5172  0.5862  0.6552  0.7241  0.7931
              0.8621  0.931   1.    ]
            """)
    }

    @Test func headerShowsShapeAndRequiresGrad() throws {
        let t = try Tensor(shape: [2, 2], storage: [1, 2, 3, 4], requiresGrad: true)
        #expect(TensorFormatter.format(t) == "tensor (2, 2), requires_grad\n[[1. 2.]\n [3. 4.]]")
        #expect(TensorFormatter.format(Tensor([0.5, 1])) == "tensor (2,)\n[0.5 1. ]")
        #expect(TensorFormatter.header(shape: [3, 4]) == "tensor (3, 4)")
    }

    @Test func scalarsUseThePrecision() {
        #expect(TensorFormatter.format(Tensor(0.69314718)) == "tensor ()\n0.6931")
        #expect(body([], [1]) == "1.0")
        #expect(body([], [-2.5]) == "-2.5")
        #expect(body([], [.nan]) == "nan")
        #expect(body([], [-.infinity]) == "-inf")
    }

    /// A vanishing gradient's size is the point of the lesson: it must not print as 0.0.
    @Test func tinyScalarsGoScientificInsteadOfZero() {
        #expect(body([], [2.4e-15]) == "2.4e-15")
        #expect(body([], [-0.00002]) == "-2.e-05")
        #expect(body([], [0.0001]) == "0.0001")
        #expect(body([], [0]) == "0.0")
    }

    @Test func precisionIsConfigurable() {
        let two = RenderOptions(width: 75, precision: 2)
        // np.set_printoptions(precision=2); print(np.array([3.14159265, 2.0]))  ->  [3.14 2.  ]
        #expect(TensorFormatter.formatBody(shape: [2], values: [3.14159265, 2], options: two) == "[3.14 2.  ]")
    }

    @Test func edgeCasesNeverCrash() throws {
        #expect(body([0], []) == "[]")
        #expect(body([2, 0], []) == "[]")
        #expect(body([1], [7]) == "[7.]")
        #expect(body([3], [1, 2]) == "<2 values do not fill shape (3,)>")
        #expect(body([Int.max, 4], []).hasPrefix("<"))
        #expect(body([-1], []).hasPrefix("<"))
        #expect(TensorFormatter.format(try Tensor(shape: [0, 3], storage: [])) == "tensor (0, 3)\n[]")
        let narrow = RenderOptions(width: 1)
        #expect(!TensorFormatter.formatBody(shape: [20], values: Array(repeating: 1.5, count: 20), options: narrow).isEmpty)
    }

    @Test func colourOnlyStylesTheHeader() throws {
        let t = try Tensor(shape: [2], storage: [1, 2])
        let colored = TensorFormatter.format(t, options: RenderOptions(color: true))
        #expect(colored.contains(ANSI.dim))
        #expect(ANSI.strip(colored) == TensorFormatter.format(t))
    }
}

/// `TensorFormatter.inline`: a tensor inside a line of other text (a list's items in the REPL).
@Suite struct InlineTensorTests {
    @Test func scalarsAndSmallTensorsWithThePrecision() throws {
        #expect(TensorFormatter.inline(Tensor(0.7692461242088552)) == "tensor(0.7692)")
        #expect(TensorFormatter.inline(Tensor(0.7692461242088552), options: RenderOptions(precision: 2)) == "tensor(0.77)")
        #expect(TensorFormatter.inline(Tensor(3)) == "tensor(3.0)")
        #expect(TensorFormatter.inline(Tensor([0.1, 0.2])) == "tensor([0.1, 0.2])")
        #expect(TensorFormatter.inline(Tensor([1.0 / 3, -2])) == "tensor([0.3333, -2.])")
        #expect(TensorFormatter.inline(try Tensor(shape: [2, 2], storage: [1, 0, 0, 1])) == "tensor([[1., 0.], [0., 1.]])")
        #expect(TensorFormatter.inline(Tensor([1e-6, 1])) == "tensor([1.e-06, 1.e+00])")
        #expect(TensorFormatter.inline(Tensor([.nan, 1])) == "tensor([nan, 1.])")
        #expect(TensorFormatter.inline(Tensor([Double]())) == "tensor([])")
    }

    @Test func biggerTensorsAsTheirShape() throws {
        #expect(TensorFormatter.inline(try Tensor.zeros([3, 4])) == "tensor (3, 4)")
        #expect(TensorFormatter.inline(try Tensor.zeros([9])) == "tensor (9,)")
        #expect(TensorFormatter.inline(try Tensor.zeros([9]), maxElements: 9) == "tensor([0., 0., 0., 0., 0., 0., 0., 0., 0.])")
        #expect(TensorFormatter.inline(try Tensor.zeros([0, 3])) == "tensor (0, 3)")
    }
}
