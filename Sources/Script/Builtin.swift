import Engine

/// A function the language provides: its name, how it is called, what it does, an example.
///
/// `help(name)` prints `signature`, `doc` and `example`; argument errors quote `signature`. The
/// implementation receives the arguments (positional and named) and the interpreter (to emit text,
/// call user functions, check for Ctrl-C).
public final class Builtin {
    public let name: String
    /// How it is called, e.g. `zeros(shape…, requires_grad: false)`.
    public let signature: String
    public let doc: String
    /// A line or two of the language that shows it in use (checked by the tests).
    public let example: String
    /// The family (file) it belongs to: "construction", "math", "autodiff"…
    public let family: String
    /// Kinds of value whose members list this builtin as a method (`x.sum()`, `opt.step()`).
    let methodOf: Set<String>
    let implementation: (inout Arguments, Interpreter) throws -> Value
    /// Accepts any named argument (`record(a: 1, b: 2)`).
    var acceptsAnyNames = false
    /// Stops on Ctrl-C by itself and returns a whole value (`train` returns the history so far):
    /// the interpreter keeps that value instead of dropping it as incomplete.
    var finishesOnInterrupt = false
    /// Set for a method taken from a value (`x.sum`): the value is the first argument.
    let receiver: Value?

    init(_ name: String, _ signature: String, family: String, methodOf: Set<String> = [], doc: String, example: String,
         _ implementation: @escaping (inout Arguments, Interpreter) throws -> Value) {
        self.name = name; self.signature = signature; self.doc = doc; self.example = example
        self.family = family; self.methodOf = methodOf; self.implementation = implementation; self.receiver = nil
    }

    private init(bound: Builtin, to receiver: Value) {
        name = bound.name; signature = bound.signature; doc = bound.doc; example = bound.example
        family = bound.family; methodOf = bound.methodOf; implementation = bound.implementation
        acceptsAnyNames = bound.acceptsAnyNames
        finishesOnInterrupt = bound.finishesOnInterrupt
        self.receiver = receiver
    }

    func bound(to value: Value) -> Builtin { Builtin(bound: self, to: value) }

    /// The full help text: signature, description, example.
    public var helpText: String { helpText(width: 88) }

    /// The help text for a screen `width` columns wide: the signature broken after a comma
    /// (continuation lines under its first argument) and the description at spaces. The example
    /// is code and keeps its lines.
    public func helpText(width: Int) -> String {
        let width = max(width, 30)
        return "\(wrapSignature(signature, width: width))\n\n\(wrap(doc, width: min(width, 88)))\n\nExample:\n"
            + example.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }.joined(separator: "\n")
    }

    /// The first sentence of the doc, for family listings.
    var summary: String {
        guard let end = doc.range(of: ". ") else { return doc }
        return String(doc[..<end.lowerBound]) + "."
    }
}

/// A signature such as `lstm(input:, hidden:, layers: 1, …)` on lines of at most `width`
/// characters, broken only after the comma between two arguments (never inside a quoted default),
/// continuation lines indented under the first argument.
public func wrapSignature(_ signature: String, width: Int) -> String {
    guard signature.count > width else { return signature }
    var pieces: [String] = [], piece = "", quoted = false
    for c in signature {
        piece.append(c)
        if c == "\"" { quoted.toggle() }
        if c == " " && !quoted && piece.hasSuffix(", ") {
            pieces.append(String(piece.dropLast()))
            piece = ""
        }
    }
    if !piece.isEmpty { pieces.append(piece) }
    let open = signature.firstIndex(of: "(").map { signature.distance(from: signature.startIndex, to: $0) + 1 } ?? 4
    let indent = String(repeating: " ", count: open <= width / 3 ? open : 4)
    var lines: [String] = [], line = ""
    for p in pieces {
        if line.isEmpty { line = p; continue }
        if line.count + 1 + p.count <= width {
            line += " " + p
        } else {
            lines.append(line)
            line = indent + p
        }
    }
    if !line.isEmpty { lines.append(line) }
    return lines.joined(separator: "\n")
}

/// Words of `text` on lines of at most `width` characters (longer words get a line of their own).
func wrap(_ text: String, width: Int) -> String {
    var lines: [String] = [], line = ""
    for word in text.split(separator: " ", omittingEmptySubsequences: true) {
        if !line.isEmpty && line.count + 1 + word.count > width { lines.append(line); line = "" }
        line += (line.isEmpty ? "" : " ") + word
    }
    if !line.isEmpty { lines.append(line) }
    return lines.joined(separator: "\n")
}

/// The arguments of one builtin call. Parameters are read by position and/or name; after the call
/// the interpreter reports any argument that was not read (too many, or an unknown name).
struct Arguments {
    let builtin: Builtin
    private(set) var positional: [Value]
    private(set) var named: [(name: String, value: Value)]
    private var usedNamed = Set<String>()
    private var usedPositional = 0
    private(set) var knownNames: [String] = []

    init(builtin: Builtin, positional: [Value], named: [(name: String, value: Value)]) {
        self.builtin = builtin
        self.positional = (builtin.receiver.map { [$0] } ?? []) + positional
        self.named = named
    }

    var count: Int { positional.count }

    /// An argument error worded with the builtin's signature.
    func error(_ message: String) -> ScriptError {
        ScriptError(.argument, "\(builtin.name): \(message)\n  usage: \(builtin.signature)")
    }

    /// An argument whose value is out of range (`epochs: 0`): the call itself was well formed, so
    /// the message names the value without repeating the whole signature after it.
    func valueError(_ message: String) -> ScriptError {
        ScriptError(.argument, "\(builtin.name): \(message)")
    }

    /// The argument given by `name`, or else at `position` (nil: by name only).
    mutating func get(_ position: Int?, _ name: String) throws -> Value? {
        knownNames.append(name)
        if let k = named.firstIndex(where: { $0.name == name }) {
            if let position, position < positional.count {
                throw error("'\(name)' is given both as argument \(position + 1) and by name")
            }
            usedNamed.insert(name)
            return named[k].value
        }
        if let position, position < positional.count {
            usedPositional = max(usedPositional, position + 1)
            return positional[position]
        }
        return nil
    }

    mutating func required(_ position: Int?, _ name: String) throws -> Value {
        guard let v = try get(position, name) else { throw missing(name) }
        return v
    }

    /// "missing argument", pointing out a misspelt named argument that was probably meant.
    func missing(_ name: String) -> ScriptError {
        misspelling(of: name) ?? error("missing argument '\(name)'")
    }

    /// "unknown argument 'epoch' — did you mean 'epochs'?" when a named argument nobody reads is
    /// a likely typo of `name`; nil otherwise.
    func misspelling(of name: String) -> ScriptError? {
        let given = named.map(\.name).filter { !knownNames.contains($0) }
        guard let typo = given.first(where: { closestName(to: $0, in: [name]) != nil }) else { return nil }
        return error("unknown argument '\(typo)' — did you mean '\(name)'?")
    }

    /// Every positional argument from `start` on (for `zeros(2, 3)`, `print(a, b, c)`).
    mutating func rest(from start: Int) -> [Value] {
        usedPositional = max(usedPositional, positional.count)
        return start < positional.count ? Array(positional[start...]) : []
    }

    /// Throws for arguments the implementation did not read.
    func checkAllUsed() throws {
        if usedPositional < positional.count {
            let n = positional.count - (builtin.receiver == nil ? 0 : 1)
            throw error("too many arguments (\(n) given)")
        }
        for (name, _) in named where !usedNamed.contains(name) && !builtin.acceptsAnyNames {
            let hint = closestName(to: name, in: knownNames).map { " — did you mean '\($0)'?" } ?? ""
            throw error("unknown argument '\(name)'\(hint)")
        }
    }

    // MARK: typed access

    mutating func tensor(_ position: Int?, _ name: String) throws -> Tensor {
        try convertTensor(try required(position, name), name)
    }

    mutating func optionalTensor(_ position: Int?, _ name: String) throws -> Tensor? {
        guard let v = try get(position, name) else { return nil }
        if case .none = v { return nil }
        return try convertTensor(v, name)
    }

    mutating func number(_ position: Int?, _ name: String, default d: Double? = nil) throws -> Double {
        guard let v = try get(position, name) else {
            if let d { return d }
            throw missing(name)
        }
        return try convertNumber(v, name)
    }

    mutating func optionalNumber(_ position: Int?, _ name: String) throws -> Double? {
        guard let v = try get(position, name) else { return nil }
        if case .none = v { return nil }
        return try convertNumber(v, name)
    }

    mutating func int(_ position: Int?, _ name: String, default d: Int? = nil) throws -> Int {
        guard let v = try get(position, name) else {
            if let d { return d }
            throw missing(name)
        }
        return try convertInt(v, name)
    }

    /// A size of a model (input features, hidden units, layers, classes, vocabulary): a whole
    /// number of at least 1, refused by the argument's own name before the engine sees it.
    mutating func size(_ position: Int?, _ name: String, default d: Int? = nil) throws -> Int {
        let n = try int(position, name, default: d)
        guard n >= 1 else { throw error("'\(name)' must be at least 1, got \(n)") }
        return n
    }

    mutating func optionalInt(_ position: Int?, _ name: String) throws -> Int? {
        guard let v = try get(position, name) else { return nil }
        if case .none = v { return nil }
        return try convertInt(v, name)
    }

    mutating func bool(_ position: Int?, _ name: String, default d: Bool) throws -> Bool {
        guard let v = try get(position, name) else { return d }
        switch v {
        case let .bool(b): return b
        case let .number(x) where x == 0 || x == 1: return x == 1
        default: throw error("'\(name)' must be true or false, got \(v.kindName) \(v.shortDescription)")
        }
    }

    mutating func string(_ position: Int?, _ name: String, default d: String? = nil) throws -> String {
        guard let v = try get(position, name) else {
            if let d { return d }
            throw missing(name)
        }
        guard case let .string(s) = v else { throw error("'\(name)' must be a string, got \(v.kindName)") }
        return s
    }

    mutating func model(_ position: Int?, _ name: String) throws -> Model {
        let v = try required(position, name)
        guard case let .model(m) = v else { throw error("'\(name)' must be a model (from lstm(…), linear(…) …), got \(v.kindName)") }
        return m
    }

    /// A seed: a whole number ≥ 0.
    mutating func seed(_ position: Int? = nil) throws -> UInt64 {
        guard let v = try get(position, "seed") else { return 0 }
        let s = try convertInt(v, "seed")
        guard s >= 0 else { throw error("'seed' must be ≥ 0, got \(s)") }
        return UInt64(s)
    }

    /// `dtype: "float32"` or `"float64"` (PyTorch's aliases "float" and "double" too); `d` when absent.
    mutating func dtype(default d: DType = .float64) throws -> DType {
        guard let v = try get(nil, "dtype") else { return d }
        guard case let .string(s) = v else { throw error("'dtype' must be a string, \"float32\" or \"float64\", got \(v.kindName)") }
        switch s {
        case "float32", "float": return .float32
        case "float64", "double": return .float64
        default: throw error("'dtype' must be \"float32\" or \"float64\", got \"\(s)\"")
        }
    }

    /// A shape given as separate numbers `zeros(2, 3)`, one list/tensor `zeros([2, 3])` or `zeros(x.shape)`.
    mutating func shape(from start: Int, _ name: String = "shape") throws -> [Int] {
        let values: [Value]
        if let v = try get(nil, name) { values = [v] } else { values = rest(from: start) }
        var dims: [Int] = []
        if values.count == 1, case .list = values[0] { dims = try convertIntList(values[0], name) }
        else if values.count == 1, case let .tensor(t) = values[0], t.rank == 1 { dims = try convertIntList(values[0], name) }
        else { dims = try values.map { try convertInt($0, name) } }
        for d in dims where d < 0 { throw error("sizes cannot be negative, got \(formatShape(dims))") }
        return dims
    }

    // MARK: conversions

    func convertTensor(_ v: Value, _ name: String) throws -> Tensor {
        do { return try Interpreter.toTensor(v) } catch let e as ScriptError {
            throw error("'\(name)' must be a tensor (or a number or a list of numbers): \(e.message)")
        }
    }

    func convertNumber(_ v: Value, _ name: String) throws -> Double {
        switch v {
        case let .number(x): return x
        case let .bool(b): return b ? 1 : 0
        case let .tensor(t) where t.count == 1: return t.storage[0]
        default: throw error("'\(name)' must be a number, got \(v.kindName) \(v.shortDescription)")
        }
    }

    func convertInt(_ v: Value, _ name: String) throws -> Int {
        let x = try convertNumber(v, name)
        guard x == x.rounded() else { throw error("'\(name)' must be a whole number, got \(formatNumber(x))") }
        guard Swift.abs(x) < 1e15 else { throw error("'\(name)' is too large: it must be below 10¹⁵ in size, got \(formatNumber(x))") }
        return Int(x)
    }

    func convertIntList(_ v: Value, _ name: String) throws -> [Int] {
        switch v {
        case let .list(items): return try items.map { try convertInt($0, name) }
        case let .tensor(t) where t.rank <= 1: return try t.storage.map { try convertInt(.number($0), name) }
        default: return [try convertInt(v, name)]
        }
    }

    /// Labels for a picture: strings as they are, numbers written as `print` writes them, so
    /// `labels: 0..<12` or `labels: arange(5) * 10` work as well as a list of strings.
    func convertLabelList(_ v: Value, _ name: String) throws -> [String] {
        switch v {
        case let .list(items):
            return try items.map { item in
                switch item {
                case let .string(s): return s
                case let .number(x): return formatNumber(x)
                case let .bool(b): return b ? "true" : "false"
                case let .tensor(t) where t.count == 1: return formatNumber(t.storage[0])
                default: throw error("'\(name)' must be a list of strings or numbers, found \(item.kindName) \(item.shortDescription)")
                }
            }
        case let .tensor(t) where t.rank == 1: return t.storage.map(formatNumber)
        default: throw error("'\(name)' must be a list of strings or numbers (or a 1-axis tensor), got \(v.kindName)")
        }
    }
}

/// The closest of `candidates` to `name` by edit distance, if close enough to be a likely typo.
///
/// A candidate qualifies when its (case-insensitive) distance is at most `max(1, name.count / 3)`
/// and it starts with the same letter or is a single edit away. A one-character name is only
/// matched by a candidate differing from it in case alone (`s` never suggests `B`).
public func closestName(to name: String, in candidates: [String]) -> String? {
    let lowered = name.lowercased()
    let limit = max(1, name.count / 3)
    var best: (name: String, distance: Int)? = nil
    for candidate in Set(candidates) where candidate != name {
        let d = editDistance(lowered, candidate.lowercased())
        guard d <= limit else { continue }
        if name.count <= 1 {
            guard d == 0 else { continue }
        } else if d > 1 && candidate.first?.lowercased() != name.first?.lowercased() {
            continue
        }
        if let best, best.distance < d || (best.distance == d && best.name < candidate) { continue }
        best = (candidate, d)
    }
    return best?.name
}

/// Levenshtein distance, counting a swap of two neighbouring characters as one edit
/// (optimal string alignment), so `tnah` is one edit from `tanh`. The one edit distance of the
/// code base: "did you mean" on names, arguments and REPL commands all use it.
public func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var twoBack = [Int](), previous = Array(0...b.count)
    for i in 1...a.count {
        var current = [i] + Array(repeating: 0, count: b.count)
        for j in 1...b.count {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                current[j] = min(current[j], twoBack[j - 2] + 1)
            }
        }
        twoBack = previous
        previous = current
    }
    return previous[b.count]
}
