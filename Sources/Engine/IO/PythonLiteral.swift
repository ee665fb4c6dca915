import Foundation

/// The few Python literals an `.npy` header is written in, and a parser for exactly those.
///
/// NumPy writes the header with `repr()` of a dict and reads it back with `ast.literal_eval`, so the
/// format *is* Python literal syntax: quotes may be single or double, tuples may have a trailing
/// comma, a one-tuple is `(3,)`, files from Python 2 spell integers `3L`. A hand-written parser
/// over that small grammar is safer than pattern matching on NumPy's current spelling, and it
/// lets errors say what was found. It never traps: nesting depth and integer size are bounded
/// and reported as errors, since the header comes from an untrusted file.
enum PythonLiteral: Equatable, Sendable {
    case string(String)
    case int(Int)
    case bool(Bool)
    case none
    case tuple([PythonLiteral])
    case list([PythonLiteral])
    case dict([(key: PythonLiteral, value: PythonLiteral)])

    static func == (lhs: PythonLiteral, rhs: PythonLiteral) -> Bool {
        switch (lhs, rhs) {
        case let (.string(a), .string(b)): return a == b
        case let (.int(a), .int(b)): return a == b
        case let (.bool(a), .bool(b)): return a == b
        case (.none, .none): return true
        case let (.tuple(a), .tuple(b)), let (.list(a), .list(b)): return a == b
        case let (.dict(a), .dict(b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        default: return false
        }
    }

    /// Python's `repr`, so error messages quote the header the way NumPy users see it.
    var repr: String {
        switch self {
        case let .string(s): return StringLiteralSyntax.python.quoted(s)
        case let .int(i): return String(i)
        case let .bool(b): return b ? "True" : "False"
        case .none: return "None"
        case let .tuple(items): return items.count == 1 ? "(\(items[0].repr),)" : "(" + items.map(\.repr).joined(separator: ", ") + ")"
        case let .list(items): return "[" + items.map(\.repr).joined(separator: ", ") + "]"
        case let .dict(pairs): return "{" + pairs.map { "\($0.key.repr): \($0.value.repr)" }.joined(separator: ", ") + "}"
        }
    }

    /// Parses one literal that must fill `text` (surrounding whitespace allowed).
    /// Throws a plain reason string; the caller adds the file name.
    static func parse(_ text: String) throws(PythonLiteralError) -> PythonLiteral {
        var parser = Parser(scalars: Array(text.unicodeScalars))
        let value = try parser.value(depth: 0)
        parser.skipWhitespace()
        guard parser.position == parser.scalars.count else {
            throw PythonLiteralError("unexpected \(parser.describeHere()) after the literal")
        }
        return value
    }

    private struct Parser {
        let scalars: [Unicode.Scalar]
        var position = 0
        /// Headers are a dict holding a tuple; anything nested this deep is not an `.npy` header.
        static let maxDepth = 32

        mutating func skipWhitespace() {
            while position < scalars.count, scalars[position].properties.isWhitespace { position += 1 }
        }

        func describeHere() -> String {
            guard position < scalars.count else { return "end of header" }
            let rest = String(String.UnicodeScalarView(scalars[position..<min(scalars.count, position + 12)]))
                .trimmingCharacters(in: .whitespacesAndNewlines)
            return "'\(rest)' at character \(position)"
        }

        mutating func value(depth: Int) throws(PythonLiteralError) -> PythonLiteral {
            guard depth < Parser.maxDepth else { throw PythonLiteralError("nested more than \(Parser.maxDepth) levels deep") }
            skipWhitespace()
            guard position < scalars.count else { throw PythonLiteralError("unexpected end of header") }
            switch scalars[position] {
            case "{": return try dict(depth: depth)
            case "(":
                let (items, sawComma) = try sequence(close: ")", depth: depth)
                // `(3)` is just 3 in Python; only `(3,)` and `()` are tuples.
                if items.count == 1 && !sawComma { return items[0] }
                return .tuple(items)
            case "[": return .list(try sequence(close: "]", depth: depth).items)
            case "'", "\"": return .string(try string())
            case "-", "+", "0"..."9": return .int(try integer())
            default:
                let word = identifier()
                switch word {
                case "True": return .bool(true)
                case "False": return .bool(false)
                case "None": return .none
                default: throw PythonLiteralError("unexpected \(describeHere())")
                }
            }
        }

        mutating func identifier() -> String {
            var word = ""
            var i = position
            while i < scalars.count, scalars[i].properties.isAlphabetic || scalars[i] == "_" || ("0"..."9").contains(scalars[i]) {
                word.unicodeScalars.append(scalars[i])
                i += 1
            }
            if word == "True" || word == "False" || word == "None" { position = i }
            return word
        }

        /// Items up to `close`, separated by commas, a trailing comma allowed. Also reports whether
        /// any comma was seen, which is what makes `(x,)` a tuple.
        mutating func sequence(close: Unicode.Scalar, depth: Int) throws(PythonLiteralError) -> (items: [PythonLiteral], sawComma: Bool) {
            position += 1  // the opening bracket
            var items: [PythonLiteral] = []
            var sawComma = false
            while true {
                skipWhitespace()
                if position < scalars.count, scalars[position] == close { position += 1; return (items, sawComma) }
                items.append(try value(depth: depth + 1))
                skipWhitespace()
                guard position < scalars.count else { throw PythonLiteralError("missing '\(close)' before the end of header") }
                if scalars[position] == "," { position += 1; sawComma = true; continue }
                guard scalars[position] == close else { throw PythonLiteralError("expected ',' or '\(close)', found \(describeHere())") }
            }
        }

        mutating func dict(depth: Int) throws(PythonLiteralError) -> PythonLiteral {
            position += 1  // "{"
            var pairs: [(key: PythonLiteral, value: PythonLiteral)] = []
            while true {
                skipWhitespace()
                if position < scalars.count, scalars[position] == "}" { position += 1; return .dict(pairs) }
                let key = try value(depth: depth + 1)
                skipWhitespace()
                guard position < scalars.count, scalars[position] == ":" else {
                    throw PythonLiteralError("expected ':' after key \(key.repr), found \(describeHere())")
                }
                position += 1
                let item = try value(depth: depth + 1)
                pairs.append((key, item))
                skipWhitespace()
                guard position < scalars.count else { throw PythonLiteralError("missing '}' before the end of header") }
                if scalars[position] == "," { position += 1; continue }
                guard scalars[position] == "}" else { throw PythonLiteralError("expected ',' or '}', found \(describeHere())") }
            }
        }

        mutating func string() throws(PythonLiteralError) -> String {
            let quote = scalars[position]
            position += 1
            var result = String.UnicodeScalarView()
            while position < scalars.count {
                let c = scalars[position]
                position += 1
                if c == quote { return String(result) }
                if c == "\n" { break }
                if c == "\\" {
                    guard position < scalars.count else { break }
                    let escaped = scalars[position]
                    position += 1
                    switch escaped {
                    case "n": result.append("\n")
                    case "t": result.append("\t")
                    case "\\", "'", "\"": result.append(escaped)
                    default: result.append("\\"); result.append(escaped)
                    }
                } else {
                    result.append(c)
                }
            }
            throw PythonLiteralError("unterminated string")
        }

        mutating func integer() throws(PythonLiteralError) -> Int {
            var negative = false
            if scalars[position] == "-" || scalars[position] == "+" {
                negative = scalars[position] == "-"
                position += 1
                skipWhitespace()
            }
            let start = position
            var magnitude = 0
            var overflow = false
            while position < scalars.count, ("0"..."9").contains(scalars[position]) {
                let digit = Int(scalars[position].value - 48)
                let (times10, o1) = magnitude.multipliedReportingOverflow(by: 10)
                let (sum, o2) = times10.addingReportingOverflow(digit)
                overflow = overflow || o1 || o2
                magnitude = sum
                position += 1
            }
            guard position > start else { throw PythonLiteralError("expected a digit, found \(describeHere())") }
            if position < scalars.count, scalars[position] == "." || scalars[position] == "e" || scalars[position] == "E" {
                throw PythonLiteralError("expected an integer, found a float at character \(start)")
            }
            // Python 2 wrote long integers as `3L`.
            if position < scalars.count, scalars[position] == "L" || scalars[position] == "l" { position += 1 }
            guard !overflow else { throw PythonLiteralError("integer at character \(start) is too large") }
            return negative ? -magnitude : magnitude
        }
    }
}

/// Why a header failed to parse, without the file name (added by ``NPYError/malformedHeader(source:reason:)``).
struct PythonLiteralError: Error, Equatable, Sendable {
    let reason: String
    init(_ reason: String) { self.reason = reason }
}
