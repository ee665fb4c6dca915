import Script

/// What the prompt needs from the language: the `Script.Interpreter` API, as a protocol so the
/// session's tests can also run against a small fake.
protocol Evaluator: AnyObject {
    func run(_ source: String, file: String) -> (values: [(value: Value, location: SourceLocation)], error: ScriptError?)
    /// `run` for source starting on line `firstLine` of `file` (a statement of a script).
    func run(_ source: String, file: String, firstLine: Int) -> (values: [(value: Value, location: SourceLocation)], error: ScriptError?)
    /// False while a bracket or block is still open (the REPL then asks for another line).
    func isComplete(_ source: String) -> Bool
    var variables: [(name: String, value: Value)] { get }
    func reset()
    /// Names completing `text` (the word before the cursor, possibly `a.b.c`).
    func candidates(for text: String) -> [String]
    func help(_ name: String) -> String?
    var isCancelled: () -> Bool { get set }
    var lastValue: Value? { get set }
    /// Binds a global (`_3` for the third result).
    func define(_ name: String, _ value: Value)
}

extension Evaluator {
    /// For evaluators without line offsets (test fakes): blank lines in front.
    func run(_ source: String, file: String, firstLine: Int) -> (values: [(value: Value, location: SourceLocation)], error: ScriptError?) {
        run(String(repeating: "\n", count: max(0, firstLine - 1)) + source, file: file)
    }
}

extension Interpreter: Evaluator {
    func run(_ source: String, file: String, firstLine: Int) -> (values: [(value: Value, location: SourceLocation)], error: ScriptError?) {
        run(source, file: file, firstLine: firstLine, showingResults: true)
    }

    func isComplete(_ source: String) -> Bool { Interpreter.isComplete(source) }

    func candidates(for text: String) -> [String] { completions(for: text) }

}
