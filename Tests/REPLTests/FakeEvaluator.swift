import Foundation
@testable import REPL
import Script

/// A tiny stand-in for the interpreter, so session tests do not depend on the language:
/// `name = NUMBER`, `NUMBER`, `name`, `say TEXT` (emits text), `fail` (an error at column 1),
/// `slow` (loops until cancelled), statements separated by newlines; `{` opens a block until `}`.
final class FakeEvaluator: Evaluator {
    var globals: [String: Value] = [:]
    var isCancelled: () -> Bool = { false }
    var lastValue: Value?
    let emit: (Emission) -> Void
    var runs: [String] = []

    init(emit: @escaping (Emission) -> Void) { self.emit = emit }

    func run(_ source: String, file: String) -> (values: [(value: Value, location: SourceLocation)], error: ScriptError?) {
        runs.append(source)
        var values: [(value: Value, location: SourceLocation)] = []
        for (index, raw) in source.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            let location = SourceLocation(file: file, line: index + 1, column: 1)
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line == "fail" {
                return (values, ScriptError("this fails", at: location, sourceLine: String(raw)))
            }
            if line == "slow" {
                while !isCancelled() { usleep(1000) }
                return (values, ScriptError("interrupted", at: location, sourceLine: String(raw)))
            }
            if line.hasPrefix("say ") { emit(.text(String(line.dropFirst(4)))); values.append((.none, location)); continue }
            if let eq = line.firstIndex(of: "=") {
                let name = line[..<eq].trimmingCharacters(in: .whitespaces)
                let rhs = line[line.index(after: eq)...].trimmingCharacters(in: .whitespaces)
                guard let value = evaluate(rhs) else {
                    return (values, ScriptError("unknown name '\(rhs)'", at: location, sourceLine: String(raw)))
                }
                globals[name] = value
                continue
            }
            guard let value = evaluate(line) else {
                return (values, ScriptError("unknown name '\(line)'", at: location, sourceLine: String(raw)))
            }
            values.append((value, location))
            lastValue = value
            if case .none = value {} else { emit(.result(value, location)) }
        }
        return (values, nil)
    }

    private func evaluate(_ text: String) -> Value? {
        if let x = Double(text) { return .number(x) }
        if text == "_" { return lastValue ?? Value.none }
        return globals[text]
    }

    func isComplete(_ source: String) -> Bool {
        source.filter { $0 == "{" }.count <= source.filter { $0 == "}" }.count
    }

    var variables: [(name: String, value: Value)] { globals.map { ($0.key, $0.value) }.sorted { $0.name < $1.name } }

    func reset() { globals = [:]; lastValue = nil }

    func candidates(for text: String) -> [String] {
        let names = globals.keys.sorted() + ["print", "randn", "range"]
        if let dot = text.lastIndex(of: ".") {
            let stem = text[text.index(after: dot)...]
            return ["weight", "bias", "grad"].filter { $0.hasPrefix(stem) }
        }
        return names.filter { $0.hasPrefix(text) }
    }

    func help(_ name: String) -> String? { name == "randn" ? "randn(shape…, seed:)\n\nNormal samples." : nil }

    func define(_ name: String, _ value: Value) { globals[name] = value }
}

/// A session on the fake with its output collected.
final class FakeSessionHarness {
    var out = ""
    var err = ""
    var evaluator: FakeEvaluator!
    lazy var session: Session = Session(options: .init(width: 80, color: false), numbered: true,
                                        write: { [unowned self] in self.out += $0 },
                                        writeError: { [unowned self] in self.err += $0 }) { emit in
        let fake = FakeEvaluator(emit: emit)
        self.evaluator = fake
        return fake
    }

    init() { _ = session }

    func take() -> (out: String, err: String) {
        defer { out = ""; err = "" }
        return (out, err)
    }
}
