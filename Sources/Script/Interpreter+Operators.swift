import Foundation
import Engine

/// Arithmetic, matrix product, comparisons: numbers stay numbers, anything with a tensor (or a
/// list of numbers) becomes a tensor operation with NumPy broadcasting.
extension Interpreter {
    func unary(_ op: String, _ v: Value) throws -> Value {
        switch (op, v) {
        case ("not", _): return .bool(!(try truth(v, at: SourceLocation(file: "", line: 0, column: 0))))
        case ("-", let .number(x)): return .number(-x)
        case ("+", .number): return v
        case ("-", .tensor), ("-", .list), ("-", .bool): return .tensor(-(try Interpreter.toTensor(v)))
        case ("+", .tensor): return v
        default: throw ScriptError(.wrongType, "unary '\(op)' does not apply to a \(v.kindName)")
        }
    }

    func binary(_ op: String, _ a: Value, _ b: Value) throws -> Value {
        // Numbers (and bools in arithmetic) with numbers.
        if let x = scalar(a), let y = scalar(b), !isTensor(a), !isTensor(b) {
            switch op {
            case "+": return .number(x + y)
            case "-": return .number(x - y)
            case "*": return .number(x * y)
            case "/": return .number(x / y)
            case "%":
                guard y != 0 else { throw ScriptError("modulo by zero") }
                let r = fmod(x, y)
                return .number(r != 0 && (r < 0) != (y < 0) ? r + y : r)
            case "**": return .number(Foundation.pow(x, y))
            case "==": return .bool(x == y)
            case "!=": return .bool(x != y)
            case "<": return .bool(x < y)
            case "<=": return .bool(x <= y)
            case ">": return .bool(x > y)
            case ">=": return .bool(x >= y)
            case "@": throw ScriptError(.wrongType, "'@' is the matrix product of tensors; for numbers use '*'")
            default: break
            }
        }
        switch (op, a, b) {
        case ("+", let .string(s), let .string(t)):
            try MemoryRoom.checkString(utf8Count: s.utf8.count + t.utf8.count, for: "string +")
            return .string(s + t)
        case ("+", let .list(s), let .list(t)):
            try MemoryRoom.checkList(count: s.count + t.count, for: "list +")
            return .list(s + t)
        case ("*", let .string(s), .number):
            let n = try wholeCount(b)
            guard s.count * n <= 10_000_000 else { throw ScriptError(.limit, "the repeated string would be too long (\(s.count) × \(n) characters)") }
            try MemoryRoom.checkString(utf8Count: s.utf8.count * n, for: "string *")
            return .string(String(repeating: s, count: n))
        case ("*", let .list(items), .number) where !tensorLike(a):
            let n = try wholeCount(b)
            guard items.count * n <= 1_000_000 else { throw ScriptError(.limit, "the repeated list would be too long (\(items.count) × \(n) elements)") }
            try MemoryRoom.checkList(count: items.count * n, for: "list *")
            return .list(Array(repeating: items, count: n).flatMap { $0 })
        case ("==", .list, _), ("!=", .list, _), ("==", _, .list), ("!=", _, .list):
            // A list compares as a whole, as in Python: x.shape == [5, 1, 3] is true or false.
            var same = Interpreter.equal(a, b)
            if !same, tensorLike(a), tensorLike(b), let ta = try? Interpreter.toTensor(a), let tb = try? Interpreter.toTensor(b) {
                same = ta.shape == tb.shape && ta.storage == tb.storage
            }
            return .bool(op == "==" ? same : !same)
        case ("==", _, _), ("!=", _, _):
            if isTensor(a) || isTensor(b), let ta = try? Interpreter.toTensor(a), let tb = try? Interpreter.toTensor(b) {
                return .tensor(try ta.compare(tb, op == "==" ? .equal : .notEqual))
            }
            let same = Interpreter.equal(a, b)
            return .bool(op == "==" ? same : !same)
        case ("<", let .string(s), let .string(t)): return .bool(s < t)
        case (">", let .string(s), let .string(t)): return .bool(s > t)
        case ("<=", let .string(s), let .string(t)): return .bool(s <= t)
        case (">=", let .string(s), let .string(t)): return .bool(s >= t)
        default: break
        }
        guard tensorLike(a), tensorLike(b) else {
            throw ScriptError(.wrongType, "'\(op)' does not apply to a \(a.kindName) and a \(b.kindName)")
        }
        var x = try Interpreter.toTensor(a), y = try Interpreter.toTensor(b)
        // A number takes the tensor's precision, as a Python number does in PyTorch: `loss * 0.5`
        // stays float32 for a float32 loss (0-d tensors among themselves would widen).
        if case .number = a { x = x.to(y.dtype) }
        if case .number = b { y = y.to(x.dtype) }
        switch op {
        case "+": return .tensor(try x + y)
        case "-": return .tensor(try x - y)
        case "*": return .tensor(try x * y)
        case "/": return .tensor(try x / y)
        case "**": return .tensor(try x.pow(y))
        case "@":
            guard x.rank >= 1, y.rank >= 1 else {
                throw ScriptError(.wrongType, "'@' needs tensors with at least one axis, got shapes \(formatShape(x.shape)) and \(formatShape(y.shape)); use '*' for scalars")
            }
            return .tensor(try x.matmul(y))
        case "<": return .tensor(try x.compare(y, .less))
        case "<=": return .tensor(try x.compare(y, .lessOrEqual))
        case ">": return .tensor(try x.compare(y, .greater))
        case ">=": return .tensor(try x.compare(y, .greaterOrEqual))
        case "%": throw ScriptError(.wrongType, "'%' works on numbers, not tensors")
        default: throw ScriptError("unknown operator '\(op)'")
        }
    }

    private func wholeCount(_ v: Value) throws -> Int {
        // The same bound as the message: 10⁷ itself is allowed ("a" * 10000000).
        guard case let .number(x) = v, x == x.rounded(), x >= 0, x <= 1e7 else {
            throw ScriptError(.limit, "repetition needs a whole number from 0 to 10⁷ (10000000), got \(v.shortDescription)")
        }
        return Int(x)
    }

    private func scalar(_ v: Value) -> Double? {
        switch v {
        case let .number(x): return x
        case let .bool(b): return b ? 1 : 0
        default: return nil
        }
    }

    private func isTensor(_ v: Value) -> Bool { if case .tensor = v { return true }; return false }

    private func tensorLike(_ v: Value) -> Bool {
        switch v {
        case .tensor, .number, .bool: return true
        case let .list(items): return items.allSatisfy(tensorLike)
        default: return false
        }
    }

    /// Structural equality for `==` between non-tensor values (same kind and contents; models,
    /// optimizers and functions by identity).
    static func equal(_ a: Value, _ b: Value) -> Bool {
        switch (a, b) {
        case (.none, .none): return true
        case let (.number(x), .number(y)): return x == y
        case let (.bool(x), .bool(y)): return x == y
        case let (.string(x), .string(y)): return x == y
        case let (.list(x), .list(y)): return x.count == y.count && zip(x, y).allSatisfy { equal($0, $1) }
        case let (.tensor(x), .tensor(y)): return x.shape == y.shape && x.storage == y.storage
        case let (.record(x), .record(y)): return x === y
        case let (.model(x), .model(y)): return x === y
        case let (.optimizer(x), .optimizer(y)): return x === y
        case let (.function(x), .function(y)): return x === y
        case let (.builtin(x), .builtin(y)): return x.name == y.name
        case let (.figure(x), .figure(y)): return x == y
        default: return false
        }
    }
}
