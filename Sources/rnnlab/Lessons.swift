import ArgumentParser
import Engine
import Foundation
import REPL
import Terminal
import Tutorial
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Guided mode from the command line: the menu (`rnnlab` on a terminal), `rnnlab lesson N`.
enum Guided {
    /// Runs the menu, opening `lesson` first when given. On a terminal lines come from libedit;
    /// otherwise from stdin, echoed, so `rnnlab lesson 1 < answers.txt` reads as a transcript.
    static func run(opening lesson: String?, directory: String?, noColor: Bool) throws {
        guard let lessonSource = LessonSource.resolve(directory) else {
            Streams.err("rnnlab: \(LessonSource.missing(directory))\n")
            throw ExitCode(1)
        }
        let dir = lessonSource.directory
        if let notice = lessonSource.notice { Streams.err(notice + "\n") }
        let interactive = isatty(0) == 1
        var options = RenderOptions.current(noColorFlag: noColor)
        if !interactive { options.color = options.color && isatty(1) == 1 }
        let editor: LineEditor? = interactive ? LineEditor(historyFile: defaultHistoryFile()) : nil
        let source: LineSource = editor ?? PlainLineSource(echo: { Streams.out($0) })
        let repl = GuidedREPL(lessonsDirectory: dir, store: ProgressStore(url: ProgressStore.defaultURL()), source: source,
                              options: options, width: { interactive ? TerminalSize.current() : 80 },
                              write: { Streams.out($0); fflush(nil) }, writeError: Streams.err)
        editor?.completer = { [unowned repl] in repl.complete($0) }
        if let lesson {
            let (files, unknown) = LessonLibrary.select([lesson], from: (try? LessonLibrary.files(in: dir)) ?? [])
            if !unknown.isEmpty || files.isEmpty {
                Streams.err("rnnlab: no lesson \(ControlCharacters.escaped(lesson)) in \(ControlCharacters.escaped(dir.path)) (give its number or id; `rnnlab` alone shows the menu)\n")
                throw ExitCode(1)
            }
        }
        let status = repl.runMenu(opening: lesson)
        editor?.save()
        fflush(nil)
        if status != 0 { throw ExitCode(status) }
    }
}

/// `rnnlab lesson N|id`.
struct LessonCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lesson",
        abstract: "Open a lesson in guided mode (by number or id); the menu follows when you leave it.",
        discussion: """
            Enter goes to the next step; any expression runs against the lesson's variables; :help lists :next, :back, :run, :hint, :skip, :restart, :progress, :menu, :quit. Progress is saved after every step in ${XDG_DATA_HOME:-~/.local/share}/rnnlab/progress.json, and resuming is offered next time.

            With stdin not a terminal, lines are read from stdin and echoed: printf '\\n\\n:hint\\n' | rnnlab lesson 2
            """)

    @Argument(help: "The lesson: its number (2) or id (rnn-equations).")
    var lesson: String

    @Option(name: .customLong("lessons"), help: ArgumentHelp("Lessons from DIR instead of the bundled ones.", valueName: "DIR"))
    var directory: String?

    @Flag(name: .customLong("no-color"), help: "No colour.")
    var noColor = false

    func run() throws { try Guided.run(opening: lesson, directory: directory, noColor: noColor) }
}

/// `rnnlab progress [--reset [lesson]]`.
struct ProgressCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "progress",
        abstract: "Show your progress in every lesson, or forget it with --reset.")

    @Flag(help: "Forget progress: of the lesson named, or of every lesson.")
    var reset = false

    @Flag(name: [.customShort("y"), .customLong("yes")], help: "With --reset: forget without asking (for scripts; needed when stdin is not a terminal).")
    var yes = false

    @Argument(help: "With --reset: the lesson to forget (number or id).")
    var lesson: String?

    @Option(name: .customLong("lessons"), help: ArgumentHelp("Lessons from DIR instead of the bundled ones.", valueName: "DIR"))
    var directory: String?

    func run() throws {
        let store = ProgressStore(url: ProgressStore.defaultURL())
        var (progress, notice) = store.load()
        if let notice { Streams.err(ControlCharacters.escaped(notice) + "\n") }
        let metas: [LessonMeta] = LessonSource.resolve(directory).map { source in
            ((try? LessonLibrary.files(in: source.directory)) ?? []).compactMap { try? LessonLibrary.load($0).meta }
        } ?? []
        if yes && !reset {
            throw ValidationError("--yes only confirms --reset (rnnlab progress --reset --yes)")
        }
        if lesson != nil && !reset {
            throw ValidationError("a lesson is only named with --reset (rnnlab progress --reset 2)")
        }
        if reset {
            let what: String
            if let lesson {
                let id = metas.first { $0.id == lesson || Int(lesson) == $0.order }?.id ?? lesson
                guard progress.lessons.removeValue(forKey: id) != nil else {
                    Streams.out("No progress recorded for \(lesson); nothing to forget.\n")
                    return
                }
                if progress.last == id { progress.last = nil }
                what = "your progress in \(id)"
            } else {
                let n = progress.lessons.count
                progress = ProgressFile()
                what = "your progress in \(n) lesson\(n == 1 ? "" : "s")"
            }
            let decision = ResetConfirmation.decide(what: what, yes: yes, isTerminal: isatty(0) == 1) { question in
                Streams.out(question)
                fflush(nil)
                return readLine()
            }
            switch decision {
            case .proceed: break
            case .declined:
                Streams.out("Nothing was forgotten.\n")
                return
            case let .refused(message):
                Streams.err(message + "\n")
                throw ExitCode(1)
            }
            let forgotten = "Forgot \(what).\n"
            // Said only once it is true: a save that fails forgets nothing.
            do { try store.save(progress) } catch {
                Streams.err("rnnlab: \(ControlCharacters.escaped("\(error)")); nothing was forgotten\n")
                throw ExitCode(1)
            }
            Streams.out(forgotten)
            return
        }
        Streams.out(ProgressSummary.text(lessons: metas, progress: progress, options: RenderOptions.current()) + "\n")
        Streams.out("(saved in \(ControlCharacters.escaped(store.url.path)))\n")
    }
}

/// `rnnlab repl`: the free prompt, without the lessons.
struct ReplCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repl",
        abstract: "The free prompt: history, Tab completion, :help (a script from stdin when it is not a terminal).")

    @OptionGroup var output: OutputOptions

    func run() throws {
        if isatty(0) == 1 {
            let status = InteractiveREPL.run(noColor: output.noColor)
            if status != 0 { throw ExitCode(status) }
        } else {
            try Run.runFile("-", options: output)
        }
    }
}
