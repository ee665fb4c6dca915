import Engine
import Figures
import Foundation
import Script

/// Values as JSON for `--format json`.
///
/// Numbers are written in Swift's shortest round-trip form, so they parse back to the same
/// `Double` (full double precision); NaN and ±infinity, which JSON cannot express, are `null`.
/// Tensors are `{"shape": [...], "data": [...]}` with `data` nested row-major like NumPy's
/// `tolist()` (a rank-0 tensor's data is the bare number). Every other non-scalar value is an
/// object whose `"kind"` names it, and whose own keys never mix with user names:
/// records are `{"kind": "record", "title", "fields": {name: value, ...}}`; models
/// `{"kind": "model", "summary", "parameters": {name: tensor, ...}}`; optimizers
/// `{"kind": "optimizer", "summary"}`; figures `{"kind": "figure", "figure": <Figure data>}`;
/// functions and builtins `{"kind", "description"}`.
enum ValueJSON {
    static func encode(_ value: Value) -> String {
        switch value {
        case .none: return "null"
        case let .number(x): return number(x)
        case let .bool(b): return b ? "true" : "false"
        case let .string(s): return string(s)
        case let .tensor(t): return tensor(t)
        case let .list(items): return "[" + items.map(encode).joined(separator: ", ") + "]"
        case let .record(r):
            // The fields nest under their own key, so a field named kind or title cannot clash.
            let fields = object(r.fields.map { ($0.name, encode($0.value)) })
            return object([("kind", string("record")), ("title", string(r.title)), ("fields", fields)])
        case let .model(m):
            let parameters = object(m.module.namedParameters.map { ($0.name, tensor($0.tensor)) })
            return object([("kind", string("model")), ("summary", string(m.summary)), ("parameters", parameters)])
        case let .optimizer(o):
            return object([("kind", string("optimizer")), ("summary", string(o.summary))])
        case let .figure(f):
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
            let data = (try? encoder.encode(f)).flatMap { String(data: $0, encoding: .utf8) } ?? "null"
            return object([("kind", string("figure")), ("figure", data)])
        case .function, .builtin:
            return object([("kind", string(value.kindName)), ("description", string(value.description))])
        }
    }

    static func number(_ x: Double) -> String {
        guard x.isFinite else { return "null" }
        if x == 0 { return x.sign == .minus ? "-0.0" : "0" }
        if x == x.rounded(), Swift.abs(x) < 1e15 { return String(Int(x)) }
        return "\(x)"
    }

    static func tensor(_ t: Tensor) -> String {
        let shape = "[" + t.shape.map(String.init).joined(separator: ", ") + "]"
        return "{\"shape\": \(shape), \"data\": \(nested(t))}"
    }

    /// Row-major nesting; one bracket level per axis.
    static func nested(_ t: Tensor) -> String {
        let shape = t.shape
        var out = ""
        out.reserveCapacity(t.count * 20)
        let storage = t.printedValues
        func emit(_ axis: Int, _ offset: Int, _ stride: Int) {
            if axis == shape.count { out += number(storage[offset]); return }
            let inner = stride / max(shape[axis], 1)
            out += "["
            for k in 0..<shape[axis] {
                if k > 0 { out += ", " }
                emit(axis + 1, offset + k * inner, inner)
            }
            out += "]"
        }
        emit(0, 0, t.count)
        return out
    }

    static func string(_ s: String) -> String { StringLiteralSyntax.json.quoted(s) }

    static func object(_ members: [(String, String)]) -> String {
        "{" + members.map { string($0.0) + ": " + $0.1 }.joined(separator: ", ") + "}"
    }
}
