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
        // Numbers take the tensor's precision: a float32 loss stays float32 when scaled.
        #expect(show("(sum(y) * 0.5).dtype", in: i) == "\"float32\"")
        #expect(show("(0.5 - mean(y)).dtype", in: i) == "\"float32\"")
        #expect(show("(y + [1, 2]).dtype", in: i) == "\"float64\"")
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
        #expect(refused.contains("the layer's weights are float32 but the input is float64; convert it with .float() (or the model with .double())"))
        #expect(show("linear(in: 2, out: 1, dtype: \"float32\").dtype") == "\"float32\"")
        #expect(show("embedding(count: 4, dim: 2, dtype: \"float32\")([1, 2]).dtype") == "\"float32\"")
        #expect(failure("gradcheck(fn(x) { return x * 2 }, [zeros(2, dtype: \"float32\")])").message.contains("float64 tool"))
    }

    /// train converts the data to a float32 model's precision; the weights stay float32 and learn.
    @Test func float32ModelsTrainInFloat32() {
        let i = Interpreter()
        run("""
        m = classifier(input: 2, hidden: 8, out: 2, seed: 0).float()
        x = randn(6, 64, 2, seed: 1)
        y = where(x[-1, :, 0] > 0, 1, 0)
        h = train(m, x, y, epochs: 5, lr: 0.05)
        r = lstm(input: 1, hidden: 4, seed: 2, dtype: "float32")
        head = linear(in: 4, out: 1, seed: 3, dtype: "float32")
        xs = randn(8, 16, 1, seed: 4)
        g = train([r, head], xs, xs * 0.5, epochs: 3, lr: 0.05)
        """, in: i)
        #expect(number("h.loss[-1] < h.loss[0]", in: i) == 1)
        #expect(number("g.loss[-1] < g.loss[0]", in: i) == 1)
        #expect(show("m.dtype", in: i) == "\"float32\"")
        for name in ["m", "r", "head"] {
            guard case let .model(model) = value(name, in: i) else { Issue.record("\(name) is not a model"); continue }
            for p in model.module.parameters {
                #expect(p.dtype == .float32 && p.storage.allSatisfy { Double(Float($0)) == $0 }, "\(name)")
            }
        }
    }

    /// save_npz writes a float32 model as <f4 (PyTorch's float32 state_dict), and load_npz reads it
    /// back unchanged; load_npy(dtype: "float32") keeps a float32 file float32.
    @Test func float32FilesRoundTrip() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rnnlab-precision-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let i = Interpreter()
        run("""
        m = gru(input: 2, hidden: 3, seed: 5, dtype: "float32")
        save_npz(m, "\(dir.path)/w.npz")
        n = gru(input: 2, hidden: 3, seed: 6).float()
        load_npz(n, "\(dir.path)/w.npz")
        save_npy(tensor([0.1, 1.1], dtype: "float32"), "\(dir.path)/x.npy")
        """, in: i)
        #expect(tensor("n.weight_hh_l0", in: i).storage == tensor("m.weight_hh_l0", in: i).storage)
        let bytes = try Data(contentsOf: dir.appendingPathComponent("x.npy"))
        #expect(String(decoding: bytes.prefix(64), as: UTF8.self).contains("'descr': '<f4'"))
        #expect(bytes.count - Int(bytes[8]) - 10 == 8)                     // two 4-byte floats after the header
        #expect(show("load_npy(\"\(dir.path)/x.npy\", dtype: \"float32\")", in: i) == "tensor([0.1, 1.1], dtype: float32)")
        #expect(show("load_npy(\"\(dir.path)/x.npy\").dtype", in: i) == "\"float64\"")
        #expect(show("load_npz(\"\(dir.path)/w.npz\", dtype: \"float32\").weight_hh_l0.dtype", in: i) == "\"float32\"")
    }
}
