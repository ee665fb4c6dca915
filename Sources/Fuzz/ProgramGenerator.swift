import Markdown
import Script

/// Programs in the rnnlab language, written from its grammar, that reach the places a learner's
/// typing can: every builtin (named from the interpreter's own list, with the argument names its
/// signature shows), operators, indexing, members, control flow, functions and files — with sizes
/// and numbers chosen to be hostile (0, −1, 2⁶², 1e308, NaN, huge ranges) as often as ordinary.
///
/// Most generated programs fail with an error after a statement or two; that is the point. What
/// must never happen is a crash, a hang that Ctrl-C cannot stop, memory past the budget, or a
/// file outside the working folder.
struct ProgramGenerator {
    struct Callable { let name: String; let argumentNames: [String] }

    let builtins: [Callable]
    /// Lines that run: every builtin's example and the language guide's code, for the mutator.
    let corpus: [String]

    init(languageGuide: String?) {
        let interpreter = Interpreter()
        builtins = interpreter.builtinList.map { Callable(name: $0.name, argumentNames: ProgramGenerator.names(in: $0.signature)) }
        var corpus = interpreter.builtinList.map(\.example).filter { !$0.isEmpty }
        if let guide = languageGuide { corpus += ProgramGenerator.codeBlocks(in: guide) }
        self.corpus = corpus
    }

    /// `zeros(shape…, requires_grad: false)` → ["requires_grad"].
    static func names(in signature: String) -> [String] {
        var names: [String] = []
        var word = ""
        for ch in signature {
            if ch.isLetter || ch.isNumber || ch == "_" { word.append(ch); continue }
            if ch == ":" && !word.isEmpty && !names.contains(word) { names.append(word) }
            word = ""
        }
        return names
    }

    /// The bodies of the ```rnn fences of a markdown text.
    static func codeBlocks(in markdown: String) -> [String] {
        CodeFence.all(in: markdown).filter { $0.info.first == "rnn" }.map(\.text)
    }

    // MARK: Values

    static let numbers = ["0", "1", "2", "3", "-1", "0.5", "1e-300", "1e308", "-1e308", "1e9", "1e15", "1e300 * 1e300",
                          "0 / 0", "4611686018427387904", "9223372036854775807", "-9223372036854775808", "2 ** 53",
                          "65536", "1e7", "0.1", "255", "-0.0"]
    static let sizes = ["0", "1", "2", "3", "4", "5", "-1", "1e9", "1e6", "4611686018427387904", "2.5", "0 / 0", "100000", "1e18"]
    static let strings = ["\"\"", "\"a\"", "\"hello world\"", "\"f.npy\"", "\"f.npz\"", "\"t.csv\"", "\"x.txt\"",
                          "\"\\u{1b}[2J\"", "\"\\n\"", "\"float32\"", "\"tanh\"", "\"relu\"", "\"é😀\"", "\"sum\"", "\"adam\""]
    static let members = ["shape", "T", "grad", "sum()", "mean()", "requires_grad", "h", "c", "out", "parameters",
                          "weight_ih_l0", "lr", "item()", "len", "step()", "zero_grad()", "backward()", "data", "x", "y"]
    static let binaryOperators = ["+", "-", "*", "/", "%", "@", "**", "==", "!=", "<", ">=", "and", "or", "..<"]

    func expression(_ r: inout SeededRandom, depth: Int, variables: [String]) -> String {
        if depth <= 0 || r.chance(0.25) {
            switch r.int(0..<6) {
            case 0, 1: return r.pick(ProgramGenerator.numbers)
            case 2: return r.pick(ProgramGenerator.strings)
            case 3: return variables.isEmpty ? "none" : r.pick(variables)
            case 4: return r.pick(["true", "false", "none", "_", "[]", "[[]]", "[1, 2, 3]", "[[1, 2], [3, 4]]"])
            default: return tensor(&r)
            }
        }
        let sub = { (r: inout SeededRandom) in expression(&r, depth: depth - 1, variables: variables) }
        switch r.int(0..<12) {
        case 0, 1, 2, 3: return call(&r, depth: depth, variables: variables)
        case 4, 5: return "(\(sub(&r)) \(r.pick(ProgramGenerator.binaryOperators)) \(sub(&r)))"
        case 6: return r.pick(["-", "not ", "+"]) + sub(&r)
        case 7: return "\(sub(&r))[\(index(&r, variables: variables))]"
        case 8: return "\(sub(&r)).\(r.pick(ProgramGenerator.members))"
        case 9: return "[" + (0..<r.int(0..<4)).map { _ in sub(&r) }.joined(separator: ", ") + "]"
        case 10: return "fn(a) { return \(expression(&r, depth: depth - 1, variables: variables + ["a"])) }"
        default: return tensor(&r)
        }
    }

    func tensor(_ r: inout SeededRandom) -> String {
        let dims = (0..<r.int(1..<4)).map { _ in r.chance(0.7) ? String(r.int(1..<5)) : r.pick(ProgramGenerator.sizes) }
        let maker = r.pick(["zeros", "ones", "rand", "randn", "full"])
        let extra = maker == "full" ? ", value: \(r.pick(ProgramGenerator.numbers))" : (r.chance(0.2) ? ", requires_grad: true" : "")
        let seed = (maker == "rand" || maker == "randn") && r.chance(0.5) ? ", seed: \(r.int(0..<100))" : ""
        return "\(maker)(\(dims.joined(separator: ", "))\(extra)\(seed))"
    }

    func index(_ r: inout SeededRandom, variables: [String]) -> String {
        let one = { (r: inout SeededRandom) -> String in
            switch r.int(0..<5) {
            case 0: return ":"
            case 1: return "\(r.pick(ProgramGenerator.sizes)):\(r.pick(ProgramGenerator.sizes))"
            case 2: return "-1"
            case 3: return r.pick(ProgramGenerator.sizes)
            default: return String(r.int(0..<3))
            }
        }
        return (0..<r.int(1..<4)).map { _ in one(&r) }.joined(separator: ", ")
    }

    func call(_ r: inout SeededRandom, depth: Int, variables: [String]) -> String {
        let f = r.pick(builtins)
        var args = (0..<r.int(0..<4)).map { _ in expression(&r, depth: depth - 1, variables: variables) }
        for name in f.argumentNames where r.chance(0.3) {
            args.append("\(name): \(expression(&r, depth: depth - 1, variables: variables))")
        }
        return "\(f.name)(\(args.joined(separator: ", ")))"
    }

    // MARK: Statements

    /// Working code first (a corpus entry or two, so models, tensors and records exist), then
    /// generated statements over the names it assigned: a run stops at its first error, so the
    /// hostile part comes after the state it needs.
    func program(_ r: inout SeededRandom) -> String {
        var lines: [String] = []
        for _ in 0..<r.int(0..<3) { lines.append(r.pick(corpus)) }
        var variables = ProgramGenerator.assignedNames(in: lines.joined(separator: "\n"))
        if r.chance(0.15) { lines.append(r.pick(ProgramGenerator.largeRequests)) }
        for _ in 0..<r.int(1..<9) {
            lines.append(statement(&r, variables: &variables, depth: 2))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    func statement(_ r: inout SeededRandom, variables: inout [String], depth: Int) -> String {
        let expr = { (r: inout SeededRandom, vars: [String]) in expression(&r, depth: r.int(1..<4), variables: vars) }
        switch r.int(0..<14) {
        case 0, 1, 2, 3:
            let name = "v\(r.int(0..<5))"
            let line = "\(name) = \(expr(&r, variables))"
            if !variables.contains(name) { variables.append(name) }
            return line
        case 4, 5, 6: return expr(&r, variables)
        case 7:
            guard depth > 0 else { return expr(&r, variables) }
            var inner = variables
            return "for i in 0..<\(r.pick(["3", "10", "0", "-5", "1e6"])) { \(statement(&r, variables: &inner, depth: depth - 1)) }"
        case 8:
            guard depth > 0 else { return expr(&r, variables) }
            var inner = variables
            return "if \(expr(&r, variables)) { \(statement(&r, variables: &inner, depth: depth - 1)) } else { \(statement(&r, variables: &inner, depth: depth - 1)) }"
        case 9:
            return "def g(a, b: 1) { return \(expression(&r, depth: 2, variables: variables + ["a", "b"])) }\ng(\(expr(&r, variables)))"
        case 10:
            guard let v = variables.last else { return expr(&r, variables) }
            return r.pick(["\(v)[\(index(&r, variables: variables))] = \(expr(&r, variables))",
                           "\(v) += \(expr(&r, variables))", "\(v).\(r.pick(["grad", "requires_grad", "lr", "x"])) = \(expr(&r, variables))"])
        case 11:
            // Files: only plain names, so every file lands in the working folder.
            let x = variables.last ?? tensor(&r)
            return r.pick(["save_npy(\(x), \"f.npy\")\nload_npy(\"f.npy\")",
                           "save_npz(\(x), \"f.npz\")\nload_npz(\"f.npz\")",
                           "read_text(\"f.npy\")", "read_csv(\"f.npy\")"])
        case 12:
            return "n = 0\nwhile n < \(r.pick(["3", "100", "1e9"])) { n += 1 }"
        default:
            return "print(\(expr(&r, variables)))"
        }
    }

    /// Names a program assigns at the start of a line (`h = …`).
    static func assignedNames(in text: String) -> [String] {
        var names: [String] = []
        for line in text.split(separator: "\n") {
            let name = line.prefix { $0.isLetter || $0.isNumber || $0 == "_" }
            if !name.isEmpty, line.dropFirst(name.count).hasPrefix(" = "), !names.contains(String(name)) { names.append(String(name)) }
        }
        return names
    }

    /// Requests far past any budget, each of which once took gigabytes or ran without end.
    static let largeRequests = [
        "zeros(1e9)", "x = zeros(20000, 20000)\nx + 1", "list(arange(1e8))", "\"a\" * 10000000", "s = \"ab\" * 5000000\ns + s + s + s",
        "l = [0] * 100000000", "lstm(input: 1, hidden: 1, layers: 1e6)", "lstm(input: 1, hidden: 1e9)", "one_hot(zeros(3), 4611686018427387)",
        "x = randn(4000, 4000, seed: 0)\nfor i in 0..<100 { x = x @ x }", "range(1e12)", "arange(1e10)", "full(1e5, 1e5, value: 1)",
        "l = [1]\nfor i in 0..<60 { l = l + l }", "embedding(1e9, 8)", "linear(1e6, 1e6)",
    ]

    // MARK: Mutation

    static let fragments = ["(", ")", "[", "]", "{", "}", "\"", "..<", "**", "@", ":", "\n", "#", ",", ";", "=", ".",
                            "\u{0}", "\u{1b}", "é", "😀", "def", "fn", "return", "while true", "1e308", "-", "_", "\\"]

    /// A corpus entry with one to four edits: spans deleted, duplicated or swapped, numbers made
    /// hostile, punctuation inserted, the text cut short.
    func mutant(_ r: inout SeededRandom) -> String {
        var text = Array(r.pick(corpus))
        for _ in 0..<r.int(1..<5) where !text.isEmpty {
            let i = r.int(0..<text.count), j = Swift.min(text.count, i + r.int(1..<12))
            switch r.int(0..<6) {
            case 0: text.removeSubrange(i..<j)
            case 1: text.insert(contentsOf: text[i..<j], at: i)
            case 2: text.insert(contentsOf: Array(r.pick(ProgramGenerator.fragments)), at: i)
            case 3:
                // Replace a digit run with a hostile number.
                if let start = text[i...].firstIndex(where: \.isNumber) {
                    var end = start
                    while end < text.count, text[end].isNumber || text[end] == "." { end += 1 }
                    text.replaceSubrange(start..<end, with: Array(r.pick(ProgramGenerator.numbers)))
                }
            case 4: text.removeSubrange(i..<text.count)
            default:
                // Two lines change places.
                var lines = String(text).split(separator: "\n", omittingEmptySubsequences: false)
                if lines.count > 1 { lines.swapAt(r.int(0..<lines.count), r.int(0..<lines.count)) }
                text = Array(lines.joined(separator: "\n"))
            }
        }
        return String(text) + "\n"
    }
}
