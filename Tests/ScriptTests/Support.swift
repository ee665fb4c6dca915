import Foundation
import Testing
import Engine
@testable import Script

/// Runs `source` in `interpreter` (a fresh one by default) and fails the test on an error.
@discardableResult
func run(_ source: String, in interpreter: Interpreter = Interpreter(), sourceLocation: Testing.SourceLocation = #_sourceLocation) -> [Value] {
    let (values, error) = interpreter.run(source)
    if let error { Issue.record("unexpected error: \(error)\n\(error.caretView())", sourceLocation: sourceLocation) }
    return values.map(\.value)
}

/// The value of the last expression statement of `source`.
func value(_ source: String, in interpreter: Interpreter = Interpreter(), sourceLocation: Testing.SourceLocation = #_sourceLocation) -> Value {
    run(source, in: interpreter, sourceLocation: sourceLocation).last ?? .none
}

/// The plain description of the last value.
func show(_ source: String, in interpreter: Interpreter = Interpreter(), sourceLocation: Testing.SourceLocation = #_sourceLocation) -> String {
    value(source, in: interpreter, sourceLocation: sourceLocation).description
}

/// The error `source` stops with (a test failure if it runs cleanly).
func failure(_ source: String, in interpreter: Interpreter = Interpreter(), sourceLocation: Testing.SourceLocation = #_sourceLocation) -> ScriptError {
    let (_, error) = interpreter.run(source)
    guard let error else {
        Issue.record("expected an error from: \(source)", sourceLocation: sourceLocation)
        return ScriptError("no error")
    }
    return error
}

/// The tensor value of `source`'s last expression.
func tensor(_ source: String, in interpreter: Interpreter = Interpreter(), sourceLocation: Testing.SourceLocation = #_sourceLocation) -> Tensor {
    if case let .tensor(t) = value(source, in: interpreter, sourceLocation: sourceLocation) { return t }
    Issue.record("not a tensor: \(source)", sourceLocation: sourceLocation)
    return Tensor(0)
}

func number(_ source: String, in interpreter: Interpreter = Interpreter(), sourceLocation: Testing.SourceLocation = #_sourceLocation) -> Double {
    switch value(source, in: interpreter, sourceLocation: sourceLocation) {
    case let .number(x): return x
    case let .tensor(t) where t.count == 1: return t.storage[0]
    case let v:
        Issue.record("not a number: \(v)", sourceLocation: sourceLocation)
        return .nan
    }
}

/// Sets a global variable directly (tests hand engine tensors to scripts this way).
func define(_ name: String, _ v: Value, in interpreter: Interpreter) { interpreter.globals.set(name, v) }

/// The repository root, found from this file's path.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
