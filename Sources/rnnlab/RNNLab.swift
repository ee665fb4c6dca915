import ArgumentParser
import Engine
import Foundation
import REPL
import Terminal
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How results are printed, shared by `rnnlab`, `rnnlab -e` and `rnnlab run`.
struct OutputOptions: ParsableArguments {
    @Option(help: "Print results as `text` (what the REPL shows) or `json` (one object per statement with a value).")
    var format: Format = .text

    @Flag(name: .customLong("no-color"), help: "No colour (also when NO_COLOR is set or stdout is not a terminal).")
    var noColor = false

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json
        var outputFormat: OutputFormat { self == .json ? .json : .text }
    }

    var renderOptions: RenderOptions { RenderOptions.current(noColorFlag: noColor) }
}

/// Writes to stdout through Swift's buffered `print`, to stderr unbuffered.
enum Streams {
    static func out(_ text: String) { print(text, terminator: "") }
    static func err(_ text: String) {
        fflush(nil)
        FileHandle.standardError.write(Data(text.utf8))
    }
}

/// Runs source non-interactively and turns a failure into exit status 1.
func runSource(_ source: String, file: String, options: OutputOptions) throws {
    let status = Runner.run(source: source, file: file, format: options.format.outputFormat,
                            options: options.renderOptions, write: Streams.out, writeError: Streams.err)
    fflush(nil)
    if status != 0 { throw ExitCode(status) }
}

/// The `rnnlab` command line: the REPL on a terminal, a script from a pipe, `-e`, `run`.
@main
struct RNNLab: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rnnlab",
        abstract: "Learn recurrent neural networks by running them: a REPL and a tensor/autodiff engine.",
        discussion: """
            With no arguments on a terminal, rnnlab opens the lesson menu (guided mode: Enter advances, :help lists the commands; progress in $XDG_DATA_HOME/rnnlab/progress.json) of the bundled lessons — never a Lessons/ folder of the current directory; `rnnlab lesson N --lessons DIR` opens others. A lesson's code runs in a sandbox: it reads only its own folder and Datasets/ and writes only $XDG_DATA_HOME/rnnlab/scratch/NN-id/; what you type is not confined. `rnnlab repl` is the free prompt: history in $XDG_STATE_HOME/rnnlab/history, Tab completion, :help. With stdin not a terminal, rnnlab runs stdin as a script, like `rnnlab run -`.

            Errors go to stderr as FILE:LINE:COL: message, then the line with a caret; the exit status is then 1.

            Memory: one budget for the session, half the machine's memory unless RNNLAB_MEMORY=SIZE or --memory SIZE (4G, 512M; with any subcommand) says otherwise. Tensors, lists, strings and files that would pass it are refused with a message before they are allocated; :memory shows and changes it at the prompt.

            Examples:
              rnnlab                                the lesson menu
              rnnlab lesson 2                       lesson 2, guided
              rnnlab repl                           the free prompt
              rnnlab progress                       where you are in every lesson
              rnnlab -e 'randn(2, 3, seed: 0)'      evaluate and print
              rnnlab run unroll.rnn --format json   JSON, one object a statement
              printf '1 + 2\\n' | rnnlab             a script from stdin
              rnnlab check                          prove the lessons (outputs, answer keys)
              rnnlab book /tmp/rnn-book             the lessons as a web book (HTML)
            """,
        version: EngineInfo.version,
        subcommands: [Run.self, LessonCommand.self, ExerciseCommand.self, ProgressCommand.self, ReplCommand.self, Check.self, BookCommand.self]
    )

    /// OpenBLAS on one thread unless the user asks otherwise: a lesson's products are small, where
    /// waking threads costs more than it saves (lesson 8 checks in 6 s on one thread, 14 s on two
    /// under load), and one thread sums in one fixed order, so recorded outputs are reproducible.
    static func main() {
        Allocator.tuneBeforeThreads()
        if ProcessInfo.processInfo.environment["OPENBLAS_NUM_THREADS"] == nil { GEMM.setThreads(1) }
        var arguments = Array(CommandLine.arguments.dropFirst())
        if let problem = MemoryOption.apply(&arguments) {
            Streams.err("rnnlab: \(problem)\n")
            Foundation.exit(2)
        }
        main(arguments)
    }

    @Option(name: [.customShort("e"), .customLong("eval")], help: ArgumentHelp("Evaluate EXPR and print its results (repeatable; one session).", valueName: "EXPR"))
    var expressions: [String] = []

    @OptionGroup var output: OutputOptions

    func run() throws {
        if !expressions.isEmpty {
            try runSource(expressions.joined(separator: "\n"), file: "<-e>", options: output)
        } else if isatty(0) == 1 {
            if output.format == .json {
                throw ValidationError("--format json is for scripts: use `rnnlab run FILE --format json` or -e")
            }
            if LessonSource.bundledDirectory() != nil {
                try Guided.run(opening: nil, directory: nil, noColor: output.noColor)
            } else {
                // Installed without its lessons: the prompt is still useful.
                let status = InteractiveREPL.run(noColor: output.noColor)
                if status != 0 { throw ExitCode(status) }
            }
        } else {
            try Run.runFile("-", options: output)
        }
    }
}

/// `rnnlab run FILE`: run a script and print what the REPL would.
struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a script (FILE, or - for stdin) and print its results.")

    @Argument(help: "The script to run; - reads stdin.")
    var file: String

    @OptionGroup var output: OutputOptions

    func run() throws { try Run.runFile(file, options: output) }

    static func runFile(_ file: String, options: OutputOptions) throws {
        let source: String
        let name: String
        if file == "-" {
            var lines: [String] = []
            while let line = readLine(strippingNewline: false) { lines.append(line) }
            source = lines.joined()
            name = "<stdin>"
        } else {
            // Only a regular file of sane size: a FIFO or /dev/zero is named, not read forever.
            let data: Data
            do { data = try SafeFile.read(file, limit: 64 << 20) } catch {
                Streams.err("rnnlab: cannot read \(ControlCharacters.escaped(file)): \(ControlCharacters.escaped(error.reason))\n")
                throw ExitCode(1)
            }
            guard let text = String(data: data, encoding: .utf8) else {
                Streams.err("rnnlab: \(ControlCharacters.escaped(file)) is not UTF-8 text\n")
                throw ExitCode(1)
            }
            source = text
            name = file
        }
        try runSource(source, file: name, options: options)
    }
}
