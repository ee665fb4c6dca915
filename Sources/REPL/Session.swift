import Engine
import Foundation
import Script
import Terminal

/// The prompt loop without the I/O: it takes whole inputs (one statement or block, or a
/// `:command`), runs them, and writes what a learner should see through two closures. The
/// interactive REPL (`InteractiveREPL`), `rnnlab run` and the tests all drive this one class.
///
/// Results are numbered: in the REPL each printed value is shown as `Out[n]:` and stays
/// reachable as `_n`; `_` is always the last one.
public final class Session {
    public enum Outcome: Equatable, Sendable {
        case success
        /// An error was reported; the session's state is intact.
        case failure
        /// `:quit` (or `:exit`).
        case quit
    }

    /// Precision, width and colour for printing values (`:precision N` changes it).
    public var options: RenderOptions
    /// Label results `Out[n]:` (the REPL); `rnnlab run` prints bare values.
    public let numbered: Bool
    /// Text as the terminal shows it, or one JSON object per output (`rnnlab run --format json`).
    public let format: OutputFormat
    /// Printed results, in order (`_1` is `results[0]`).
    public internal(set) var results: [Value] = []

    let evaluator: any Evaluator
    /// The closures given at init; `write`/`writeError` also record into `transcript`.
    let rawWrite: (String) -> Void
    let rawWriteError: (String) -> Void
    /// Inputs and what they printed, for `:export`.
    public internal(set) var transcript = Transcript()
    /// Set while `:time` repeats an expression (and while a lesson replays its cells), so prints,
    /// results and errors are not shown.
    var muted = false
    /// Draws `train(…)`'s progress: in place on a terminal (`options.terminal`), as lines elsewhere.
    lazy var progressView = TrainingProgressView(terminal: options.terminal, width: options.width)
    /// Whether each input starts with Ctrl-C forgotten (the prompt: a press belongs to the input
    /// it interrupted). `rnnlab run`/`-e` set it false: a press at any moment stops the script.
    var forgetsInterrupts = true
    /// The error of the last `evaluate` that failed (a lesson needs to know what a cell raised).
    public internal(set) var lastError: ScriptError?

    /// - Parameters:
    ///   - write: receives standard output, in pieces that end in a newline.
    ///   - writeError: receives error reports (stderr), likewise.
    public convenience init(options: RenderOptions = RenderOptions(), numbered: Bool = true, format: OutputFormat = .text,
                            write: @escaping (String) -> Void, writeError: @escaping (String) -> Void) {
        self.init(options: options, numbered: numbered, format: format, write: write, writeError: writeError) { emit in
            Interpreter(emit: emit)
        }
    }

    init(options: RenderOptions, numbered: Bool, format: OutputFormat = .text, write: @escaping (String) -> Void,
         writeError: @escaping (String) -> Void,
         makeEvaluator: (@escaping (Emission) -> Void) -> any Evaluator) {
        self.options = options
        self.numbered = numbered
        self.format = format
        self.rawWrite = write
        self.rawWriteError = writeError
        var emitTarget: ((Emission) -> Void)?
        evaluator = makeEvaluator { emission in emitTarget?(emission) }
        evaluator.isCancelled = { Interrupt.isRequested }
        emitTarget = { [unowned self] emission in self.emit(emission) }
    }

    // MARK: - Input

    /// Whether `input` can run as it is, or needs more lines (an open bracket or block).
    /// A `:command` is always one line.
    public func isComplete(_ input: String) -> Bool {
        let start = Interpreter.droppingLeadingSpace(input)
        if start.first == ":" { return true }
        if input.contains("?") {
            let trimmed = input.trimmingCharacters(in: .whitespaces)
            if trimmed.hasSuffix("?") && Session.helpQuery(trimmed) != nil { return true }
        }
        return evaluator.isComplete(input)
    }

    /// Runs one input: a `:command`, `name?` (help), or source code.
    @discardableResult
    public func submit(_ input: String, file: String = "<input>") -> Outcome {
        let trimmed = input.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { return .success }
        let recording = !muted && Session.isRecorded(trimmed) && transcript.beginCode(trimmed)
        defer { if recording { transcript.endCode() } }
        if trimmed.hasPrefix(":") { return command(trimmed) }
        if let name = Session.helpQuery(trimmed) { return showHelp(name) }
        return evaluate(input, file: file)
    }

    /// Runs source text as one unit and prints its results (or its error).
    @discardableResult
    public func evaluate(_ source: String, file: String, firstLine: Int = 1) -> Outcome {
        // Results are shown as they come, through the one emission channel (see `emit`); `_` is
        // the last value *shown*, whatever the interpreter last computed.
        lastShown = evaluator.lastValue
        interpreter?.textWidth = options.width
        let run = { Interrupt.computing(clearing: self.forgetsInterrupts) { self.evaluator.run(source, file: file, firstLine: firstLine) } }
        let result = options.terminal ? Interrupt.withoutEcho(run) : run()
        if let newline = progressView.reset() { rawWrite(newline) }
        evaluator.lastValue = lastShown
        if let error = result.error {
            lastError = error
            if error.kind == .interrupted && Interrupt.isRequested {
                // Ctrl-C: the caret would only point at the statement that was running.
                let place = error.location.map { " at \($0)" } ?? ""
                // A script ends here; at the prompt the session goes on.
                return fail("\ninterrupted\(place)" + (forgetsInterrupts ? "; variables keep the values they had" : ""))
            }
            report(error)
            return .failure
        }
        return .success
    }

    /// Runs a script as the REPL would if it were typed: statement by statement (a chunk of
    /// lines ends where no bracket or block is open and the next line does not continue it with
    /// `else`/`elif`), so output printed by one statement comes before the next one's result.
    /// `:commands` work on lines of their own. Stops at the first error.
    /// `firstLine` is the file line `source` starts on (a lesson cell inside its lesson).
    @discardableResult
    public func runScript(_ source: String, file: String, firstLine: Int = 1) -> Outcome {
        var outcome = Outcome.success
        Interpreter.forEachStatement(of: source, firstLine: firstLine, isComplete: { self.isComplete($0) },
                                     standsAlone: { Interpreter.droppingLeadingSpace($0).first == ":" }) { text, line in
            if !forgetsInterrupts && Interrupt.isRequested {
                lastError = ScriptError.interrupted(at: SourceLocation(file: file, line: line, column: 1))
                outcome = fail("\ninterrupted at \(file):\(line)")
                return false
            }
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.hasPrefix(":") || Session.helpQuery(trimmed) != nil {
                if format == .json {
                    // A :command prints for a reader, not a program: JSON has no place for it.
                    report(ScriptError(":commands are for the REPL and text output, not --format json",
                                       at: SourceLocation(file: file, line: line, column: 1), sourceLine: text))
                    outcome = .failure
                } else {
                    outcome = submit(trimmed, file: file)
                }
            } else {
                let recording = !muted && transcript.beginCode(trimmed)
                outcome = evaluate(text, file: file, firstLine: line)
                if recording { transcript.endCode() }
            }
            return outcome == .success
        }
        return outcome
    }

    /// `name?` asks for help on `name`.
    static func helpQuery(_ text: String) -> String? {
        guard text.hasSuffix("?") else { return nil }
        let name = text.dropLast().trimmingCharacters(in: .whitespaces)
        guard let first = name.first, first.isLetter || first == "_",
              name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." }) else { return nil }
        return name
    }

    // MARK: - Output

    private func emit(_ emission: Emission) {
        guard !muted else { return }
        if case let .progress(p) = emission {
            // The bar is for the screen only; the summary line is also kept for :export.
            progressView.width = options.width
            if let text = progressView.render(p) { rawWrite(text) }
            if p.final { write(WordWrap.wrap(p.summary, width: options.width, indent: 2) + "\n") }
            return
        }
        if format == .json {
            emitJSON(emission)
            return
        }
        if let newline = progressView.closeLine() { rawWrite(newline) }
        switch emission {
        case let .text(text):
            // What `print` writes is data (a file's line, a CSV cell): its control characters are
            // shown as escapes, never sent to the terminal to act on.
            let shown = ControlCharacters.escaped(text)
            write(shown.hasSuffix("\n") ? shown : shown + "\n")
        case let .value(value):
            if let text = ValuePrinter(options: options).render(value) {
                rawWrite(text + "\n")
                recordValue(value, isResult: false)
            }
        case let .result(value, _): show(value)
        case .progress: break
        }
    }

    /// `--format json`: one object per line — `{"output": …}` for what `print` and figures write,
    /// `{"file", "line", "column", "value"}` for a statement's value. Progress is left out: it
    /// depends on time, and the history `train(…)` returns has the numbers.
    private func emitJSON(_ emission: Emission) {
        switch emission {
        case let .text(text):
            rawWrite(ValueJSON.object([("output", ValueJSON.string(text))]) + "\n")
        case let .value(value):
            rawWrite(ValueJSON.object([("output", ValueJSON.encode(value))]) + "\n")
        case let .result(value, location):
            lastShown = value
            rawWrite(ValueJSON.object([
                ("file", ValueJSON.string(location.file)), ("line", String(location.line)),
                ("column", String(location.column)), ("value", ValueJSON.encode(value)),
            ]) + "\n")
        case .progress:
            break
        }
    }

    /// The value `_` names after the current run: the last one shown.
    private var lastShown: Value?

    /// Prints a result and records it as `_` and `_n`.
    func show(_ value: Value) {
        guard !muted, let text = ValuePrinter(options: options).render(value) else { return }
        results.append(value)
        lastShown = value
        if numbered {
            evaluator.define("_\(results.count)", value)
            let label = ANSI.style("Out[\(results.count)]:", ANSI.dim, enabled: options.color)
            rawWrite(label + (text.contains("\n") ? "\n" : " ") + text + "\n")
        } else {
            rawWrite(text + "\n")
        }
        recordValue(value, isResult: true)
    }

    /// `FILE:LINE:COL: message`, then the source line with a caret under the column.
    func report(_ error: ScriptError) {
        lastError = error
        guard !muted else { return }
        // On a terminal the message wraps at spaces; the caret view keeps its columns.
        let text = format == .text
        rawWriteError(Session.errorText(error, color: options.color && text, width: options.terminal && text ? options.width : nil))
        transcript.record(.stderr(Session.errorText(error, color: false)))
    }

    /// The report of `error`; with a `width`, its message is wrapped at spaces to that many columns
    /// (continuation lines indented), never the source line and caret below it.
    static func errorText(_ error: ScriptError, color: Bool, width: Int? = nil) -> String {
        // Messages quote what was wrong (a CSV cell, a dtype, a name): escaped before styling.
        var message = ControlCharacters.escaped(error.description)
        if let width { message = WordWrap.wrap(message, width: width, indent: 2) }
        var text = ANSI.style(message, ANSI.foreground(203), enabled: color) + "\n"
        let caret = error.caretView()
        if !caret.isEmpty { text += caret + "\n" }
        return text
    }

    func fail(_ message: String) -> Outcome {
        MessageAudit.record(message)
        var message = ControlCharacters.escaped(message)
        if options.terminal && format == .text { message = WordWrap.wrap(message, width: options.width, indent: 2) }
        writeError(ANSI.style(message, ANSI.foreground(203), enabled: options.color && format == .text) + "\n")
        return .failure
    }

    // MARK: - Commands

    struct Command: Sendable {
        let name: String
        let argument: String
        let summary: String
        let action: @Sendable (Session, String) -> Outcome
    }

    static let commands: [Command] = [
        Command(name: "help", argument: "[NAME]", summary: "this list, or the help of a builtin (also NAME?)") { $0.helpCommand($1) },
        Command(name: "vars", argument: "", summary: "variables with their kinds and shapes") { s, _ in s.varsCommand() },
        Command(name: "reset", argument: "", summary: "forget every variable and result") { s, _ in s.resetCommand() },
        Command(name: "load", argument: "FILE", summary: "run a script file here, keeping its variables") { $0.loadCommand($1) },
        Command(name: "time", argument: "EXPR", summary: "time EXPR over repeated runs: median and spread") { $0.timeCommand($1) },
        Command(name: "precision", argument: "[N]", summary: "digits after the point when printing tensors") { $0.precisionCommand($1) },
        Command(name: "memory", argument: "[SIZE]", summary: "the memory budget and what tensors use; SIZE (4G, 512M) sets it") { $0.memoryCommand($1) },
        Command(name: "export", argument: "FILE", summary: "write the session so far to FILE.md or FILE.ipynb (Jupyter)") { $0.exportCommand($1) },
        Command(name: "quit", argument: "", summary: "save history and leave (also Ctrl-D)") { _, _ in .quit },
    ]

    static let aliases = ["q": "quit", "exit": "quit", "h": "help", "?": "help"]

    static var commandNames: [String] { commands.map { ":" + $0.name } }

    func command(_ line: String) -> Outcome {
        let body = line.dropFirst()
        let name = String(body.prefix { !$0.isWhitespace })
        let argument = body.dropFirst(name.count).trimmingCharacters(in: .whitespaces)
        let resolved = Session.aliases[name] ?? name
        if let command = Session.commands.first(where: { $0.name == resolved }) {
            return command.action(self, argument)
        }
        let prefixed = Session.commands.filter { $0.name.hasPrefix(name) && !name.isEmpty }
        if prefixed.count == 1 { return prefixed[0].action(self, argument) }
        var message = "unknown command :\(name)"
        // The same rule as names in code: a likely typo only (`:qiut`), never a guess (`:z`).
        if let near = closestName(to: name, in: Session.commands.map(\.name)) {
            message += " (did you mean :\(near)?)"
        }
        return fail(message + "; :help lists the commands")
    }

    func helpCommand(_ argument: String) -> Outcome {
        if !argument.isEmpty { return showHelp(argument) }
        var lines = ["Type an expression or statement; Enter runs it (a line ending inside ( [ { continues on ...>)."]
        lines.append("Results print as Out[n] and stay reachable as _n; _ is the last one.")
        lines.append("")
        let width = Session.commands.map { $0.name.count + $0.argument.count }.max()! + 3
        for command in Session.commands {
            let head = ":" + command.name + (command.argument.isEmpty ? "" : " " + command.argument)
            lines.append("  " + head + String(repeating: " ", count: max(1, width - head.count)) + command.summary)
        }
        lines.append("")
        lines.append("Keys: Tab completes names, members after . and :commands; Up/Down walk the history;")
        lines.append("Ctrl-C cancels the line or stops a running computation; Ctrl-D leaves.")
        lines.append("help(NAME) or NAME? explains a builtin, with an example.")
        lines.append("")
        lines.append("The " + Session.memoryLine() + ". Anything that would pass it is refused")
        lines.append("before it is allocated; change it with :memory SIZE, RNNLAB_MEMORY=4G or rnnlab --memory 4G.")
        write(lines.joined(separator: "\n") + "\n")
        return .success
    }

    func showHelp(_ name: String) -> Outcome {
        interpreter?.textWidth = options.width
        if let text = evaluator.help(name) {
            write(text.hasSuffix("\n") ? text : text + "\n")
            return .success
        }
        if let command = Session.commands.first(where: { ":" + $0.name == name || $0.name == name.dropFirst() && name.hasPrefix(":") }) {
            write(":\(command.name) \(command.argument) — \(command.summary)\n")
            return .success
        }
        return fail("no help for '\(name)'")
    }

    func varsCommand() -> Outcome {
        let variables = evaluator.variables.filter { name, value in
            if case .builtin = value { return false }
            return !(name.hasPrefix("_") && name.dropFirst().allSatisfy(\.isNumber))
        }
        guard !variables.isEmpty else {
            write("no variables yet\n")
            return .success
        }
        let printer = ValuePrinter(options: options)
        let nameWidth = variables.map(\.name.count).max()!
        let kindWidth = variables.map(\.value.kindName.count).max()!
        // A long summary wraps at spaces under its own column (or 4 in when that leaves too little).
        let column = nameWidth + kindWidth + 4
        let indent = options.width - column >= 24 ? column : 4
        for (name, value) in variables.sorted(by: { $0.name < $1.name }) {
            let kind = value.kindName
            let head = name.padding(toLength: nameWidth, withPad: " ", startingAt: 0) + "  "
                + kind.padding(toLength: kindWidth, withPad: " ", startingAt: 0) + "  "
            let wrapped = WordWrap.wrap(head + printer.variableSummary(value), width: options.width, indent: indent)
            // Dim the kind only once laid out, so escapes do not count as columns.
            let line = wrapped.hasPrefix(head) && options.color
                ? String(head.prefix(nameWidth + 2)) + ANSI.style(kind.padding(toLength: kindWidth, withPad: " ", startingAt: 0), ANSI.dim, enabled: true)
                    + "  " + wrapped.dropFirst(head.count)
                : wrapped
            write(line + "\n")
        }
        return .success
    }

    func resetCommand() -> Outcome {
        evaluator.reset()
        results.removeAll()
        write("variables and results cleared\n")
        return .success
    }

    func loadCommand(_ argument: String) -> Outcome {
        guard !argument.isEmpty else { return fail(":load needs a file name, e.g. :load examples/unroll.rnn") }
        let path = Session.expandTilde(Session.unquote(argument))
        // Only a regular file of sane size: `:load /dev/zero` would otherwise read forever.
        let data: Data
        do { data = try SafeFile.read(path, limit: 64 << 20) } catch {
            return fail(":load: cannot read \(path): \(error.reason)")
        }
        guard let source = String(data: data, encoding: .utf8) else { return fail(":load: \(path) is not UTF-8 text") }
        return runScript(source, file: path)
    }

    func timeCommand(_ expression: String) -> Outcome {
        guard !expression.isEmpty else { return fail(":time needs an expression, e.g. :time m(x)") }
        var failure: ScriptError?
        muted = true
        let timing = Interrupt.computing {
            TimingReport.measure {
                let result = evaluator.run(expression, file: "<time>")
                if let error = result.error { failure = error; return false }
                return !Interrupt.isRequested
            }
        }
        muted = false
        if let failure {
            report(failure)
            return .failure
        }
        guard let timing else { return fail("interrupted") }
        write(timing.summary + "\n")
        return .success
    }

    func precisionCommand(_ argument: String) -> Outcome {
        if argument.isEmpty {
            write("precision \(options.precision)\n")
            return .success
        }
        guard let digits = Int(argument), (0...17).contains(digits) else {
            return fail(":precision takes a whole number of digits from 0 to 17")
        }
        options.precision = digits
        write("precision \(digits)\n")
        return .success
    }

    /// `:memory` shows the session's memory budget; `:memory 4G` sets it (as RNNLAB_MEMORY and
    /// `--memory` do at start-up).
    func memoryCommand(_ argument: String) -> Outcome {
        if !argument.isEmpty {
            guard let bytes = MemoryBudget.parse(argument) else {
                return fail(":memory takes a size such as 4G, 512M or 1.5GB, got '\(argument)'")
            }
            MemoryBudget.limit = bytes
        }
        write(Session.memoryLine() + "\n")
        return .success
    }

    /// "memory budget 11.6 GB, 1.2 GB in use by tensors", for `:memory` and `:help`.
    static func memoryLine() -> String {
        "memory budget \(MemoryBudget.describe(bytes: MemoryBudget.limit)), \(MemoryBudget.describe(bytes: MemoryBudget.inUse)) in use by tensors"
    }

    static func unquote(_ text: String) -> String {
        if text.count >= 2, let first = text.first, first == text.last, first == "\"" || first == "'" {
            return String(text.dropFirst().dropLast())
        }
        return text
    }

    static func expandTilde(_ path: String) -> String {
        guard path == "~" || path.hasPrefix("~/") else { return path }
        return NSHomeDirectory() + path.dropFirst()
    }

    // MARK: - Completion

    /// Candidates for the word before the cursor: `:commands` at the start of a line, file names
    /// after `:load` and inside a string, else variables, builtins and members after `.`.
    public func complete(_ before: String) -> Completion {
        let line = before.drop { $0 == " " }
        if line.hasPrefix(":") {
            if let space = line.firstIndex(of: " ") {
                let command = line[line.index(after: line.startIndex)..<space]
                let argument = String(line[space...].drop { $0 == " " })
                if command == "load" || command == "export" { return Session.completePath(argument) }
                if command == "help" || command == "time" { return completeCode(argument) }
                return Completion(stem: "", candidates: [])
            }
            let stem = String(line)
            return Completion(stem: stem, candidates: Session.commandNames.filter { $0.hasPrefix(stem) })
        }
        // Inside a string literal: a file name.
        if before.filter({ $0 == "\"" }).count % 2 == 1, let quote = before.lastIndex(of: "\"") {
            return Session.completePath(String(before[before.index(after: quote)...]))
        }
        return completeCode(before)
    }

    private func completeCode(_ before: String) -> Completion {
        let token = String(before.reversed().prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." }.reversed())
        guard !token.isEmpty, !(token.first!.isNumber) else { return Completion(stem: "", candidates: []) }
        let stem = token.split(separator: ".", omittingEmptySubsequences: false).last.map(String.init) ?? token
        let raw = evaluator.candidates(for: token)
        // The interpreter may answer with whole paths (`m.weight`) or with member names (`weight`).
        var seen = Set<String>()
        let candidates = raw.map { candidate -> String in
            candidate.contains(".") ? String(candidate.split(separator: ".", omittingEmptySubsequences: false).last!) : candidate
        }.filter { $0.hasPrefix(stem) && seen.insert($0).inserted }
        return Completion(stem: stem, candidates: candidates.sorted())
    }

    /// File names completing `partial` (a path); directories end in `/`.
    static func completePath(_ partial: String) -> Completion {
        let expanded = expandTilde(partial)
        let directory: String, stem: String
        if let slash = expanded.lastIndex(of: "/") {
            directory = String(expanded[...slash])
            stem = String(expanded[expanded.index(after: slash)...])
        } else {
            directory = ""
            stem = expanded
        }
        let listing = (try? FileManager.default.contentsOfDirectory(atPath: directory.isEmpty ? "." : directory)) ?? []
        let names = listing.filter { $0.hasPrefix(stem) && (stem.hasPrefix(".") || !$0.hasPrefix(".")) }.sorted().map { name -> String in
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: directory + name, isDirectory: &isDirectory)
            return isDirectory.boolValue ? name + "/" : name
        }
        return Completion(stem: stem, candidates: names)
    }
}
