/// Everything that can go wrong reading or writing `.npy` / `.npz` files, with enough context to fix it.
///
/// Weight files come from somewhere else — a PyTorch notebook, a colleague, a download — so a bad
/// one is the *normal* failure, not a bug. Each case therefore names the file (`source`: a path,
/// or `archive.npz[member.npy]` for an archive member), says what was found and what rnnlab
/// supports, and where there is a one-line NumPy fix it says that too. The wording lives in one
/// place, ``description``, so the REPL and the tests see the same text.
public enum NPYError: Error, Equatable, Sendable {
    /// The file could not be opened, read or written at all (missing, a directory, no permission…).
    case fileAccess(path: String, reason: String)
    /// The bytes do not start with the `.npy` magic `\x93NUMPY`; `found` shows the first bytes.
    case notNPY(source: String, found: String)
    /// A format version other than 1.0, 2.0 and 3.0.
    case unsupportedVersion(source: String, major: UInt8, minor: UInt8)
    /// The file ends before `part` ("header length", "header", "data") is complete.
    case truncated(source: String, part: String, needed: Int, available: Int)
    /// The header is not the Python dict NumPy writes (`reason` says how it differs).
    case malformedHeader(source: String, reason: String)
    /// A dtype rnnlab cannot turn into `Double`s (big-endian, complex, objects, strings, structured…).
    case unsupportedDType(source: String, descr: String)
    /// Column-major data (`fortran_order: True`) for an array where that changes the layout.
    case fortranOrder(source: String, shape: [Int])
    /// Bytes after the array data: an `.npy` holds exactly one array.
    case trailingBytes(source: String, count: Int)
    /// Writing: an element that `dtype` cannot store (2.5 as int64, 1e39 as float32, NaN as an
    /// integer). `index` is the element's multi-index (`[]` for a scalar), `value` its text.
    case unrepresentable(source: String, dtype: String, index: [Int], value: String, reason: String)
    /// Reading: a 64-bit integer beyond ±2^53, which no `Double` holds exactly. Refused rather than
    /// rounded, because a silently changed number in a weight file is worse than an error.
    case inexactInteger(source: String, dtype: String, index: [Int], value: String)
    /// An `.npz` that is not a readable zip archive.
    case notZip(source: String, reason: String)
    /// A member of an `.npz` that is not an array rnnlab can load, or a name that cannot be written.
    case badMember(source: String, member: String, reason: String)
    /// Reading `source` (a file, or an archive member before it is inflated) would take `needed`
    /// bytes, more than the session's ``MemoryBudget`` has room for.
    case overMemoryBudget(source: String, needed: Int, budget: Int, inUse: Int)
    /// Loading weights into a model whose parameter names or shapes differ from the file's.
    case stateDictMismatch(source: String, missing: [String], unexpected: [String], wrongShapes: [ParameterShapeMismatch])
    /// Reading stopped because cancellation was requested (Ctrl-C, see ``Cancellation``).
    case interrupted
}

/// One parameter whose shape in the file differs from the model's.
public struct ParameterShapeMismatch: Equatable, Sendable {
    public let name: String
    /// The model's shape.
    public let expected: [Int]
    /// The file's shape.
    public let found: [Int]
    public init(name: String, expected: [Int], found: [Int]) {
        self.name = name
        self.expected = expected
        self.found = found
    }
}

extension NPYError: CustomStringConvertible {
    public var description: String {
        switch self {
        case let .fileAccess(path, reason):
            return "\(path): \(reason)"
        case let .notNPY(source, found):
            var text = "\(source): not a .npy file: it starts with \(found) instead of the magic b'\\x93NUMPY'"
            if found.hasPrefix("b'PK") { text += " — it looks like a zip archive (an .npz?); read it with NPZ.read" }
            return text
        case let .unsupportedVersion(source, major, minor):
            return "\(source): .npy format version \(major).\(minor) is not supported; rnnlab reads versions 1.0, 2.0 and 3.0"
        case let .truncated(source, part, needed, available):
            return "\(source): file is truncated: the \(part) needs \(needed) bytes but only \(available) remain (was it copied or written completely?)"
        case let .malformedHeader(source, reason):
            return "\(source): malformed .npy header: \(reason)"
        case let .unsupportedDType(source, descr):
            var text = "\(source): dtype \(descr)"
            if let meaning = NPYDType.describe(descr: descr) { text += " (\(meaning))" }
            text += " is not supported; rnnlab reads \(NPYDType.supportedList) in C order"
            if let hint = NPYDType.hint(descr: descr) { text += " — \(hint)" }
            return text
        case let .fortranOrder(source, shape):
            return "\(source): array of shape \(formatShape(shape)) is stored in Fortran (column-major) order; rnnlab reads C order only — save np.ascontiguousarray(a) instead"
        case let .trailingBytes(source, count):
            return "\(source): \(count) unexpected bytes after the array data; an .npy file holds exactly one array (was it written by several np.save calls into one file?)"
        case let .unrepresentable(source, dtype, index, value, reason):
            return "\(source): \(Self.element(index)) = \(value) cannot be stored as \(dtype): \(reason)"
        case let .inexactInteger(source, dtype, index, value):
            return "\(source): \(Self.element(index)) = \(value) (\(dtype)) has no exact Double: integers beyond ±2^53 do not fit, and rnnlab tensors hold Doubles"
        case let .notZip(source, reason):
            return "\(source): not a readable .npz (zip) archive: \(reason)"
        case let .badMember(source, member, reason):
            return "\(source): member '\(member)': \(reason)"
        case let .overMemoryBudget(source, needed, budget, inUse):
            return "\(source): " + MemoryBudget.explain(needed: needed, budget: budget, inUse: inUse, subject: "reading it")
        case let .stateDictMismatch(source, missing, unexpected, wrongShapes):
            var parts: [String] = []
            if !missing.isEmpty { parts.append("missing from the file: \(missing.joined(separator: ", "))") }
            if !unexpected.isEmpty { parts.append("not parameters of the model: \(unexpected.joined(separator: ", "))") }
            for m in wrongShapes {
                parts.append("\(m.name) is \(formatShape(m.found)) in the file but \(formatShape(m.expected)) in the model")
            }
            var text = "\(source): weights do not match the model (nothing was loaded): " + parts.joined(separator: "; ")
            if let prefix = Self.commonPrefix(missing: missing, unexpected: unexpected) {
                text += " — the file's names all start with '\(prefix)'; save the submodule's state_dict, or strip the prefix: {k.removeprefix('\(prefix)'): v ...}"
            }
            return text
        case .interrupted:
            return "interrupted"  // the word the language uses, as TensorError.interrupted
        }
    }

    /// `element [1, 0]`, or `the scalar` for a rank-0 tensor.
    static func element(_ index: [Int]) -> String {
        index.isEmpty ? "the scalar" : "element [\(index.map(String.init).joined(separator: ", "))]"
    }

    /// The prefix (`lstm.`) that PyTorch puts on names when the weights were saved from a
    /// containing module: detected when every missing name appears in the file behind one prefix.
    static func commonPrefix(missing: [String], unexpected: [String]) -> String? {
        guard let first = missing.first, !unexpected.isEmpty else { return nil }
        for candidate in unexpected where candidate.hasSuffix("." + first) {
            let prefix = String(candidate.dropLast(first.count))
            if missing.allSatisfy({ unexpected.contains(prefix + $0) }) { return prefix }
        }
        return nil
    }
}
