import Foundation
import Testing
import Engine
@testable import Script

/// float32 in the language: `dtype:` when making tensors and models, `.float()`/`.double()`,
/// `.dtype`, and float32 values printed as NumPy prints them.
@Suite struct PrecisionTests {
    @Test func tensorsAreMadeInTheAskedPrecision() throws {
        let draws = try Tensor.randn([3], seed: 4).storage.map { Double(Float($0)) }
        #expect(show("zeros(2, dtype: \"float32\").dtype") == "\"float32\"")
        #expect(show("ones(2).dtype") == "\"float64\"")
        #expect(tensor("tensor([0.1, 1.1], dtype: \"float32\")").storage == [Double(Float(0.1)), Double(Float(1.1))])
        #expect(tensor("randn(3, seed: 4, dtype: \"float\")").storage == draws)
        #expect(show("rand(2, seed: 1, dtype: \"double\").dtype") == "\"float64\"")
        #expect(show("full([2], 0.1, dtype: \"float32\").dtype") == "\"float32\"")
        #expect(show("zeros_like(zeros(2, dtype: \"float32\")).dtype") == "\"float32\"")
        #expect(show("param(zeros(2, dtype: \"float32\")).dtype") == "\"float32\"")
        #expect(show("tensor(zeros(2, dtype: \"float32\")).dtype") == "\"float32\"")
        #expect(failure("zeros(2, dtype: \"half\")").message.contains("'dtype' must be \"float32\" or \"float64\", got \"half\""))
        #expect(failure("zeros(2, dtype: 32)").message.contains("'dtype' must be a string"))
    }

    @Test func conversionsRoundAndKeepTheGraph() {
        let i = Interpreter()
        run("x = param(tensor([0.1, 0.7]))\ny = x.float()\nbackward(sum(y * 3))", in: i)
        #expect(show("y.dtype", in: i) == "\"float32\"")
        #expect(tensor("y", in: i).storage == [Double(Float(0.1)), Double(Float(0.7))])
        #expect(tensor("x.grad", in: i).storage == [3, 3])
        #expect(show("y.double().dtype", in: i) == "\"float64\"")
        #expect(number("y.double()[0] - 0.1", in: i) == Double(Float(0.1)) - 0.1)
    }

    /// NumPy prints float32 1.1 as 1.1 (its shortest float32 digits), not 1.10000002 (the digits
    /// of the float64 it widens to); item() gives the exact value, as PyTorch's does.
    @Test func float32PrintsItsShortestDigits() {
        #expect(show("tensor([1.1, 0.1], dtype: \"float32\")") == "tensor([1.1, 0.1], dtype: float32)")
        #expect(show("item(tensor(1.1, dtype: \"float32\"))") == "\(Double(Float(1.1)))")
        #expect(show("tensor([1.1]).dtype") == "\"float64\"")
    }

    @Test func modelsAreBuiltOrConvertedToFloat32() {
        let i = Interpreter()
        run("m = lstm(input: 2, hidden: 3, seed: 0, dtype: \"float32\")\nn = lstm(input: 2, hidden: 3, seed: 0)", in: i)
        #expect(show("m.dtype", in: i) == "\"float32\"")
        #expect(show("m.weight_hh_l0.dtype", in: i) == "\"float32\"")
        #expect(show("m", in: i).contains("dtype: \"float32\""))
        #expect(!show("n", in: i).contains("dtype"))
        let converted = value("n.float()", in: i)
        #expect(converted.description == show("m", in: i))              // the model itself, converted in place
        #expect(tensor("n.weight_ih_l0", in: i).storage == tensor("m.weight_ih_l0", in: i).storage)
        #expect(show("m(randn(4, 1, 2, seed: 1).float()).output.dtype", in: i) == "\"float32\"")
        let refused = failure("m(randn(4, 1, 2, seed: 1))", in: i).message
        #expect(refused.contains("float32") && refused.contains("float64") && refused.contains(".float()"))
        #expect(show("linear(in: 2, out: 1, dtype: \"float32\").dtype") == "\"float32\"")
        #expect(show("embedding(count: 4, dim: 2, dtype: \"float32\")([1, 2]).dtype") == "\"float32\"")
        #expect(failure("gradcheck(fn(x) { return x * 2 }, [zeros(2, dtype: \"float32\")])").message.contains("float64 tool"))
    }
}
