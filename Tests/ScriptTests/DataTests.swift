import Foundation
import Testing
import Engine
@testable import Script
import TestSupport

@Suite struct DataTests {
    /// A file in a fresh temporary directory.
    func temporaryFile(_ name: String, _ contents: String) throws -> String {
        let dir = try temporaryDirectory("data")
        let url = dir.appendingPathComponent(name)
        try contents.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    @Test func readCSVColumnsAndRecords() throws {
        let path = try temporaryFile("t.csv", "year,value,label\n2000,1.5,\"a, b\"\n2001,-2,c\n")
        #expect(show("read_csv(\"\(path)\", column: \"value\")") == "tensor([1.5, -2])")
        #expect(show("read_csv(\"\(path)\", column: 0)") == "tensor([2000, 2001])")
        #expect(show("read_csv(\"\(path)\").label") == "[\"a, b\", \"c\"]")
        #expect(show("read_csv(\"\(path)\")") == "\(path) {year: tensor (2,), value: tensor (2,), label: [\"a, b\", \"c\"]}")
        let semi = try temporaryFile("s.txt", "a;b\n1;2\n")
        #expect(show("read_csv(\"\(semi)\", sep: \";\", column: \"b\")") == "tensor([2])")
        let tsv = try temporaryFile("h.tsv", "1\t0.5\thi there\n2\t-1\tho\n")
        #expect(show("read_csv(\"\(tsv)\", names: [\"id\", \"r\", \"text\"]).text") == "[\"hi there\", \"ho\"]")
        #expect(show("read_csv(\"\(tsv)\", header: false).c1") == "tensor([0.5, -1])")
    }

    @Test func readCSVErrors() throws {
        let path = try temporaryFile("sun.csv", "YEAR,SUNACTIVITY\n1700,5\n1701,abc\n")
        #expect(failure("read_csv(\"\(path)\", column: \"SUNACTIVITY\")").message == "read_csv: \(path):3: column SUNACTIVITY: expected a number, found 'abc'")
        #expect(failure("read_csv(\"\(path)\", column: \"sun\")").message == "read_csv: \(path): no column 'sun'; the columns are YEAR, SUNACTIVITY")
        let ragged = try temporaryFile("r.csv", "a,b\n1,2\n3\n")
        #expect(failure("read_csv(\"\(ragged)\")").message == "read_csv: \(ragged):3: expected 2 fields, found 1")
        #expect(failure("read_csv(\"/nonexistent/x.csv\")").message == "read_csv: /nonexistent/x.csv: no such file")
        #expect(failure("read_text(\"/nonexistent/x.txt\")").message == "read_text: /nonexistent/x.txt: no such file")
        #expect(failure("read_csv(\"\(path)\", sep: \"ab\")").message.contains("one character"))
    }

    @Test func shippedDatasetsThroughTheLanguage() {
        // Relative paths find the checkout's Datasets/ whatever the working directory.
        let i = Interpreter()
        run("sun = read_csv(\"Datasets/sunspots_yearly.csv\", column: \"SUNACTIVITY\")\nyears = read_csv(\"Datasets/sunspots_yearly.csv\").YEAR", in: i)
        #expect(show("sun.shape", in: i) == "[309]")
        #expect(show("years[0]", in: i) == "tensor(1700)" && show("years[-1]", in: i) == "tensor(2008)")
        #expect(show("len(read_csv(\"Datasets/sentiment_tweets.tsv\", names: [\"id\", \"rating\", \"text\"]).text)") == "4200")
        #expect(number("len(read_text(\"Datasets/shakespeare.txt\"))") == 980_273)
    }

    @Test func windowsSplitAndNormalizer() {
        #expect(show("windows([1, 2, 3, 4, 5], 3).x") == "tensor([[[1], [2]], [[2], [3]], [[3], [4]]])")
        #expect(show("windows([1, 2, 3, 4, 5], 2, horizon: 2).y") == "tensor([[3, 4], [4, 5]])")
        #expect(failure("windows([1, 2, 3], 3)").message.contains("too short"))
        #expect(failure("windows(zeros(3, 3), 1)").message.contains("one series"))
        #expect(show("split_series(arange(10), 0.75).train") == "tensor([0, 1, 2, 3, 4, 5, 6])")
        #expect(show("split_series(arange(10), 0.75).val") == "tensor([7, 8, 9])")
        // Hand values: 2, 4, 4, 4, 5, 5, 7, 9 → mean 5, population std 2.
        #expect(show("fit_normalizer([2, 4, 4, 4, 5, 5, 7, 9])") == "normalizer {mean: 5, std: 2}")
        #expect(show("normalize([1, 5, 9], fit_normalizer([2, 4, 4, 4, 5, 5, 7, 9]))") == "tensor([-2, 0, 2])")
        let i = Interpreter()
        #expect(show("s = fit_normalizer([2, 4, 4, 4, 5, 5, 7, 9]); denormalize(normalize([3, 8], s), s)", in: i) == "tensor([3, 8])")
        // Gradients flow through: d/dp of sum(denormalize(p)) = std = 2.
        #expect(show("p = tensor([0.5, 1], requires_grad: true); sum(denormalize(p, s)).backward(); p.grad", in: i) == "tensor([2, 2])")
        #expect(failure("normalize([1], 3)").message.contains("fit_normalizer"))
    }

    @Test func vocabularyEncodeDecode() {
        let i = Interpreter()
        run("v = vocabulary(\"hello world\")\nw = vocabulary(list(\"the cat sat\", \"the dog sat!\"), level: \"word\", min_count: 1)", in: i)
        #expect(show("v.size", in: i) == "8")
        #expect(show("encode(v, \"low\")", in: i) == "tensor([4, 5, 7])")
        #expect(show("decode(v, encode(v, \"hello world\"))", in: i) == "\"hello world\"")
        #expect(failure("encode(v, \"hex\")", in: i).message == "encode: the character 'x' at position 2 is not in the vocabulary")
        #expect(show("w.tokens", in: i) == "[\"<pad>\", \"<unk>\", \"sat\", \"the\", \"!\", \"cat\", \"dog\"]")
        #expect(show("encode(w, \"The bird sat!\")", in: i) == "tensor([3, 1, 2, 4])")
        #expect(show("decode(w, [3, 5, 0, 0])", in: i) == "\"the cat\"")
        #expect(show("encode(w, list(\"the cat\", \"dog\"))", in: i) == "[tensor([3, 5]), tensor([6])]")
        #expect(failure("decode(w, [9])", in: i).message.contains("not in 0..<7"))
        #expect(failure("encode(3, \"a\")").message.contains("vocabulary"))
        #expect(failure("vocabulary(\"abc\", level: \"byte\")").message.contains("\"char\" or \"word\""))
        #expect(show("tokenize(\"Don't stop, it's GREAT!!\")") == "[\"don't\", \"stop\", \",\", \"it's\", \"great\", \"!\", \"!\"]")
        #expect(show("tokenize(list(\"a b\", \"c?\"))") == "[[\"a\", \"b\"], [\"c\", \"?\"]]")
    }

    @Test func keepSelectsByMask() {
        #expect(show("keep(list(\"a\", \"b\", \"c\"), [1, 0, 1])") == "[\"a\", \"c\"]")
        #expect(show("keep(reshape(arange(6), 3, 2), [0, 1, 1])") == "tensor([[2, 3], [4, 5]])")
        #expect(show("r = tensor([2.5, 0.1, -1]); keep(r, abs(r) >= 0.5)") == "tensor([2.5, -1])")
        #expect(failure("keep(list(\"a\"), [1, 0])").message.contains("1 items but the mask 2"))
        #expect(failure("keep(zeros(2, 2), [1, 1, 1])").message.contains("one per row"))
        // The binary sentiment task of Datasets/README.md: 2,345 positive, 1,087 negative.
        let i = Interpreter()
        run("t = read_csv(\"Datasets/sentiment_tweets.tsv\", names: [\"id\", \"rating\", \"text\"])\nm = abs(t.rating) >= 0.5\nlabels = keep(t.rating, m) > 0", in: i)
        #expect(number("len(keep(t.text, m))", in: i) == 3432)
        #expect(number("sum(labels)", in: i) == 2345)
    }

    @Test func shuffleIsASeededPermutation() {
        let p = tensor("shuffle(20, seed: 3)")
        #expect(p.storage.sorted() == (0..<20).map(Double.init))
        #expect(p.storage == Shuffling.permutation(20, seed: 3).map(Double.init))
        #expect(show("shuffle(20, seed: 3)") == show("shuffle(20, seed: 3)"))
        #expect(show("shuffle(20, seed: 3)") != show("shuffle(20, seed: 4)"))
        // Without a seed: a new order per call, the same sequence of orders in a fresh session.
        let a = Interpreter(), b = Interpreter()
        let first = show("shuffle(20)", in: a), second = show("shuffle(20)", in: a)
        #expect(first != second)
        #expect(show("shuffle(20)", in: b) == first && show("shuffle(20)", in: b) == second)
        #expect(tensor("shuffle(20)", in: b).storage.sorted() == (0..<20).map(Double.init))
        // A tensor is shuffled along axis 0, rows intact.
        let rows = tensor("shuffle(reshape(arange(10), 5, 2), seed: 1)")
        let order = Shuffling.permutation(5, seed: 1)
        #expect(rows.storage == order.flatMap { [Double(2 * $0), Double(2 * $0 + 1)] })
        #expect(show("shuffle(list(\"a\", \"b\", \"c\"), seed: 1)") == "[" + order3().map { "\"\($0)\"" }.joined(separator: ", ") + "]")
    }

    func order3() -> [String] { Shuffling.permutation(3, seed: 1).map { ["a", "b", "c"][$0] } }

    @Test func batchesCoverEveryItemOnce() {
        let i = Interpreter()
        // x (T=3, B=10, 1) time-major; y (10, 1). Window i starts at i, so x[0, i] = i = y − 3.
        run("w = windows(arange(13), 3)\nbs = batches(w.x, w.y, 4, seed: 2)", in: i)
        #expect(show("len(bs)", in: i) == "3")
        #expect(show("[bs[0].x.shape, bs[1].x.shape, bs[2].x.shape]", in: i) == "[[3, 4, 1], [3, 4, 1], [3, 2, 1]]")
        var seen: [Double] = []
        for k in 0..<3 {
            let x = tensor("bs[\(k)].x[0, :, 0]", in: i), y = tensor("bs[\(k)].y[:, 0]", in: i)
            #expect(zip(x.storage, y.storage).allSatisfy { $1 == $0 + 3 })   // x and y stay paired
            seen += x.storage
        }
        #expect(seen.sorted() == (0..<10).map(Double.init))
        #expect(seen == Shuffling.permutation(10, seed: 2).map(Double.init))
        #expect(show("batches(w.x, w.y, 4)[0].y[:, 0]", in: i) == "tensor([3, 4, 5, 6])")
        #expect(show("batches(zeros(6, 2), list(\"a\", \"b\", \"c\", \"d\", \"e\", \"f\"), 4, axis: 0)[1].y", in: i) == "[\"e\", \"f\"]")
        #expect(failure("batches(w.x, w.y[0:5], 4)", in: i).message.contains("x has 10 items along axis 1 but y has 5"))
        #expect(failure("batches(w.x, w.y, 0)", in: i).message.contains("size must be at least 1"))
    }

    @Test func generatedTasks() {
        let i = Interpreter()
        run("a = adding_problem(8, 12, seed: 1)\nc = copy_task(3, 4, symbols: 5, delay: 3, seed: 2)\nd = date_pairs(4, seed: 3)", in: i)
        #expect(show("a.x.shape", in: i) == "[12, 8, 2]")
        // y is the sum of the two marked values: sum over time of value · marker.
        #expect(maxDifference(tensor("sum(a.x[:, :, 0] * a.x[:, :, 1], axis: 0)", in: i), tensor("a.y[:, 0]", in: i)) < 1e-15)
        #expect(show("c.x.shape", in: i) == "[11, 3, 7]")
        #expect(show("all(c.y[7:, :] == c.data)", in: i) == "true")
        #expect(show("len(d.source) + len(d.target)", in: i) == "8")
        #expect(show("noisy_sine(3, noise: 0)", in: i) == show("sin(2 * 3.141592653589793 * arange(3) / 20)", in: i))
        #expect(show("noisy_sine(50, seed: 9)") == show("noisy_sine(50, seed: 9)"))
        #expect(failure("adding_problem(2, 1)").message.contains("steps must be at least 2"))
    }
}
