import Engine
import Foundation
import Script
import Terminal
import Tutorial

/// Guided mode on a terminal (or a pipe): the lesson menu, a lesson walked step by step, and the
/// prompt in between. The lesson logic is `Tutorial.GuidedLesson`; this class reads lines, routes
/// them (Enter, `:commands`, answers, code) and saves progress after every one.
public final class GuidedREPL {
    public enum Exit: Equatable { case menu, quit }

    let lessonsDirectory: URL
    let store: ProgressStore?
    let source: LineSource
    var options: RenderOptions
    let write: (String) -> Void
    let writeError: (String) -> Void
    /// Asked before each step for the terminal's width (fixed in tests).
    let width: () -> Int
    var progress: ProgressFile
    private(set) var saveFailureShown = false
    /// The session Tab completes against: the open lesson's, or the free prompt's.
    var activeSession: Session?

    /// Tab completion in whichever session is active.
    public func complete(_ before: String) -> Completion {
        activeSession?.complete(before) ?? Completion(stem: "", candidates: [])
    }

    public init(lessonsDirectory: URL, store: ProgressStore?, source: LineSource, options: RenderOptions,
                width: @escaping () -> Int = { TerminalSize.current() },
                write: @escaping (String) -> Void, writeError: @escaping (String) -> Void) {
        self.lessonsDirectory = lessonsDirectory
        self.store = store
        self.source = source
        self.options = options
        self.width = width
        self.write = write
        self.writeError = writeError
        let (loaded, notice) = store?.load() ?? (ProgressFile(), nil)
        self.progress = loaded
        if let notice { writeError(ANSI.style(ControlCharacters.escaped(notice), ANSI.foreground(179), enabled: options.color) + "\n") }
    }

    var screen: GuidedScreen {
        var o = options
        o.width = max(40, min(width(), 100))
        return GuidedScreen(options: o, write: write)
    }

    func say(_ text: String) { write(text + "\n") }

    /// rnnlab's folder in the user's data directory: progress, scratch folders, exercise files.
    var dataDirectory: URL { store?.url.deletingLastPathComponent() ?? ProgressStore.dataDirectory() }

    /// A path as the learner would type it: the home folder as `~`.
    func displayPath(_ url: URL) -> String {
        let home = FileManager.default.homeDirectoryForCurrentUser.path
        return url.path.hasPrefix(home + "/") ? "~" + url.path.dropFirst(home.count) : url.path
    }

    func save() {
        guard let store else { return }
        do { try store.save(progress) } catch {
            guard !saveFailureShown else { return }
            saveFailureShown = true
            writeError(ANSI.style(ControlCharacters.escaped("Progress is not being saved: \(error)"), ANSI.foreground(203), enabled: options.color) + "\n")
        }
    }

    // MARK: - A lesson

    /// Walks `lesson` until the learner finishes it (and presses Enter), asks for the menu, or quits.
    public func run(_ lesson: Lesson) -> Exit {
        let session = Session(options: options, numbered: false,
                              write: write, writeError: writeError)
        guard let interpreter = session.interpreter else { return .quit }
        session.transcript.title = lesson.meta.title
        activeSession = session
        let host = LessonHost(session: session, interpreter: interpreter, repl: self, title: lesson.meta.title)
        let steps = GuidedStep.steps(of: lesson)
        let id = lesson.meta.id
        let saved = progress.lessons[id]
        // The lesson's scratch folder sits beside the progress file (the user's data dir).
        let sandbox = LessonSandbox(lesson: lesson, dataDirectory: store?.url.deletingLastPathComponent() ?? ProgressStore.dataDirectory())
        let machine = GuidedLesson(lesson: lesson, steps: steps, progress: saved, sandbox: sandbox, host: host)
        host.machine = machine
        progress.last = id

        let hint = screen.notice("Enter goes to the next step; type any expression to try things; :help lists the commands.")
        if let saved, saved.isFinished {
            say(screen.notice("You finished “\(lesson.meta.title)” (\(saved.score) of \(lesson.gradedQuestionCount) questions answered yourself). Here it is again to review; your answers are kept."))
            say(hint)
            machine.start(resume: false)
        } else if let saved, saved.step > 1 {
            say("You were at step \(min(saved.step, steps.count)) of \(steps.count) of “\(ControlCharacters.escaped(lesson.meta.title))”.")
            switch source.read(prompt: "Enter resumes there, r starts over: ") {
            case .endOfInput: return .quit
            case .interrupted: machine.start(resume: true)
            case let .line(line):
                say(hint)
                if line.trimmingCharacters(in: .whitespaces).lowercased() == "r" { machine.restart(confirmed: true) } else { machine.start(resume: true) }
            }
        } else {
            say(hint)
            machine.start(resume: false)
        }
        progress.lessons[id] = machine.progress
        save()

        var buffer = ""
        var lastInput = Date()
        while true {
            let prompt = buffer.isEmpty ? (machine.openQuestion != nil ? "answer> " : InteractiveREPL.prompt) : InteractiveREPL.continuationPrompt
            let read = source.read(prompt: styledPrompt(prompt))
            let now = Date()
            host.addTime(min(now.timeIntervalSince(lastInput), 300))
            lastInput = now
            defer { progress.lessons[id] = machine.progress; save() }
            switch read {
            case .endOfInput:
                say("")
                return .quit
            case .interrupted:
                say("")
                buffer = ""
                continue
            case let .line(line):
                buffer += buffer.isEmpty ? line : "\n" + line
            }
            let trimmed = buffer.trimmingCharacters(in: .whitespacesAndNewlines)
            if !trimmed.hasPrefix(":"), !trimmed.isEmpty, machine.meaning(of: trimmed) == .code, !session.isComplete(buffer) { continue }
            let input = buffer
            buffer = ""
            session.options.width = screen.options.width
            if let exit = handle(input.trimmingCharacters(in: .whitespacesAndNewlines), raw: input, machine: machine, host: host, session: session) {
                return exit
            }
        }
    }

    /// One complete input. Returns an exit when the lesson is left.
    func handle(_ input: String, raw: String, machine: GuidedLesson, host: LessonHost, session: Session) -> Exit? {
        if input.isEmpty || input == ":next" || input == ":n" {
            if host.finishedShown { return .menu }
            machine.advance()
            return nil
        }
        if input.hasPrefix(":") {
            let name = String(input.dropFirst().prefix { !$0.isWhitespace })
            switch name {
            case "back", "b": machine.back(); host.finishedShown = false
            case "skip", "s": machine.skip()
            case "hint": machine.hint()
            case "run": machine.runAgain()
            case "case": machine.loadCase()
            case "edit": editExercise(machine: machine, host: host)
            case "check": editExercise(machine: machine, host: host, openEditor: false)
            case "restart":
                machine.restart()
                if let question = host.restartQuestion {
                    // A finished lesson: forget its answers only on a clear yes.
                    host.restartQuestion = nil
                    guard case let .line(reply) = source.read(prompt: question + " ") else { say(""); return nil }
                    guard GuidedREPL.isYes(reply) else {
                        say(screen.notice("Nothing was forgotten."))
                        return nil
                    }
                    machine.restart(confirmed: true)
                }
                host.finishedShown = false
            case "menu", "m": return .menu
            case "quit", "q", "exit": return .quit
            case "progress": say(ProgressSummary.text(lessons: lessonMetas(), progress: progress, options: screen.options, current: machine))
            case "help", "h", "?":
                if input.split(separator: " ").count > 1 { session.submit(input) } else { say(guidedHelp()) }
            case "reset": say(screen.notice(":reset would forget the lesson's variables; :restart starts the lesson again with a fresh session."))
            default:
                source.remember(input)
                session.submit(input)
            }
            return nil
        }
        // Answers and the lesson's own commands stay out of the history: Up at the prompt brings
        // back code, not `c` or `0.5`.
        if machine.meaning(of: input) == .answer {
            if let (e, _) = machine.openExercise {
                // A def of the exercise's function: kept in the history (Up brings it back to fix)
                // and in the exercise's file, then checked.
                source.remember(raw)
                do { try ExerciseFiles.save(raw, for: e, of: machine.lesson.meta, in: dataDirectory) } catch {
                    say(screen.notice("(your code could not be saved to its file: \(error.localizedDescription))"))
                }
                session.transcript.markdown("**Your code:**\n\n```\n" + raw.trimmingCharacters(in: .newlines) + "\n```")
                // Ctrl-C stops the check (a loop that never ends) and leaves the session as it was.
                Interrupt.computing { machine.answer(raw) }
                return nil
            }
            host.answer = input
            machine.answer(input)
        } else {
            source.remember(raw)
            session.submit(raw)
        }
        return nil
    }

    /// `:edit`: the open exercise's file in the learner's editor; closing it checks what was saved.
    /// `:check` (`openEditor: false`): the file as saved (edited in another window or an IDE) is checked.
    func editExercise(machine: GuidedLesson, host: LessonHost, openEditor: Bool = true) {
        let session = host.session
        guard let step = machine.currentStep, case let .exercise(e, _) = step.content else {
            say(screen.notice((openEditor ? ":edit opens an exercise's file in your editor" : ":check checks an exercise's file as saved")
                              + "; there is no exercise at this step (Enter goes on to the next)."))
            return
        }
        let file: URL
        do { file = try ExerciseFiles.ensure(e, of: machine.lesson.meta, in: dataDirectory) } catch {
            say(screen.notice("The exercise's file could not be made: \(error.localizedDescription). Type your def at the prompt instead."))
            return
        }
        let shown = ControlCharacters.escaped(displayPath(file))
        if openEditor {
            guard isatty(STDIN_FILENO) == 1 else {
                say(screen.notice(":edit needs a terminal. Edit \(shown) with any editor, then type :check — or type your def at the prompt."))
                return
            }
            guard let editor = ExternalEditor.find() else {
                say(screen.notice(ExternalEditor.noEditorMessage(file: shown)))
                return
            }
            say(screen.notice("Opening \(shown) in \(ControlCharacters.escaped(editor.command)); save and close it to check your function…"))
            let problem = editor.edit(file)
            Interrupt.clear()     // a Ctrl-C pressed in the editor is the editor's
            if let problem {
                say(screen.notice(problem))
                return
            }
        }
        guard let text = try? String(contentsOf: file, encoding: .utf8) else {
            say(screen.notice("\(shown) could not be read back (is it UTF-8 text?)."))
            return
        }
        guard machine.openExercise != nil else {
            say(screen.notice("Saved. This exercise is done already; your file is kept."))
            return
        }
        if text == ExerciseFiles.template(e) {
            say(screen.notice(openEditor ? "The file is still the template: write your function, save, and close the editor (:edit again)."
                              : "\(shown) is still the template: write your function there and save it, then :check."))
            return
        }
        session.transcript.markdown("**Your code** (\(displayPath(file))):\n\n```\n" + text.trimmingCharacters(in: .newlines) + "\n```")
        Interrupt.computing { machine.submit(text, file: displayPath(file)) }
    }

    /// `y` or `yes`, in any case: the answer to a [y/N] question; anything else is no.
    static func isYes(_ reply: String) -> Bool {
        ["y", "yes"].contains(reply.trimmingCharacters(in: .whitespaces).lowercased())
    }

    func guidedHelp() -> String {
        let rows: [(String, String)] = [
            ("Enter, :next", "the next step (a paragraph, a cell that runs, a question)"),
            (":back", "the previous step again (cells do not run twice)"),
            (":run", "run the current cell again"),
            (":hint", "a hint for the open question or exercise"),
            (":edit", "an exercise: write the function in your editor; closing it checks it"),
            (":check", "an exercise: check its file as saved (edited in another window)"),
            (":case", "an exercise: load the failing case's arguments (and expected) as variables"),
            (":skip", "show the answer and go on (an exercise: after a try, its solution)"),
            (":restart", "start the lesson again with a fresh session (asks first on a finished lesson)"),
            (":progress", "your progress in every lesson"),
            (":menu", "back to the lesson menu (your place is saved)"),
            (":export FILE", "this run of the lesson so far as FILE.ipynb (Jupyter) or FILE.md"),
            (":quit", "leave rnnlab (your place is saved); Ctrl-D too"),
            ("anything else", "runs at the prompt with the lesson's variables: x.shape, help(\"lstm\"), :vars"),
        ]
        let w = rows.map(\.0.count).max() ?? 0
        let width = screen.options.width
        // Each description broken at spaces under its own column, so a narrow terminal never cuts a word.
        return (["Guided lesson commands:"]
            + rows.map { WordWrap.wrap("  " + $0.0.padding(toLength: w, withPad: " ", startingAt: 0) + "  " + $0.1, width: width, indent: w + 4) }
            + [WordWrap.wrap("The prompt's own commands (:vars, :help NAME, :time, :precision) work too.", width: width)]).joined(separator: "\n")
    }

    private func styledPrompt(_ prompt: String) -> String {
        guard options.color, source is LineEditor else { return prompt }
        let body = prompt.dropLast()
        return "\u{1}\(ANSI.bold)\(ANSI.foreground(71))\u{1}\(body)\u{1}\(ANSI.reset)\u{1} "
    }

    func lessonMetas() -> [LessonMeta] {
        ((try? LessonLibrary.files(in: lessonsDirectory)) ?? []).compactMap { try? LessonLibrary.load($0).meta }
    }
}

/// The bridge from the lesson machine to the screen and the session.
final class LessonHost: GuidedHost {
    let session: Session
    let interpreter: Interpreter
    unowned let repl: GuidedREPL
    let title: String
    weak var machine: GuidedLesson?
    /// The "finished" summary is on screen: the next Enter goes to the menu.
    var finishedShown = false
    /// The learner's last answer, for the transcript's record of its verdict.
    var answer: String?
    /// Set when the machine asks before `:restart` forgets a finished lesson's answers.
    var restartQuestion: String?

    init(session: Session, interpreter: Interpreter, repl: GuidedREPL, title: String) {
        self.session = session; self.interpreter = interpreter; self.repl = repl; self.title = title
    }

    func addTime(_ seconds: Double) { machine?.addTime(seconds) }

    func run(_ source: String, file: String, firstLine: Int, visible: Bool) -> ScriptError? {
        session.runLessonCode(source, file: file, firstLine: firstLine, quiet: !visible)
    }

    func resetSession() { session.reset() }

    /// The exercise's file in the learner's data folder (made from the template on first use).
    func exerciseFile(_ e: Exercise) -> URL? {
        guard let meta = machine?.lesson.meta else { return nil }
        return try? ExerciseFiles.ensure(e, of: meta, in: repl.dataDirectory)
    }

    /// A line that only shows a variable runs as if typed at the prompt (and is code the learner
    /// may want back with Up).
    func explore(_ line: String) {
        repl.source.remember(line)
        session.submit(line)
    }

    func present(_ event: GuidedEvent) {
        record(event)
        let screen = repl.screen
        switch event {
        case let .step(step, number, total, alreadyRun):
            repl.say("")
            repl.say(screen.stepHeader(number: number, total: total, title: title))
            switch step.content {
            case let .prose(text): repl.say(screen.prose(text))
            case let .cell(cell):
                repl.say(screen.cellListing(cell))
                if alreadyRun { repl.say(screen.notice("(this cell ran already — :run runs it again)")) }
            case let .question(q, index):
                repl.say(screen.question(q, index: machine?.lesson.gradedIndex(ofQuestion: index) ?? index, of: machine?.questionCount ?? index + 1))
                if let m = machine, m.openQuestion == nil {
                    repl.say(screen.notice("You have answered this one — Enter goes on."))
                }
            case let .exercise(e, index):
                repl.say(screen.exercise(e, index: index, of: machine?.lesson.exercises.count ?? index + 1,
                                         file: exerciseFile(e).map { ControlCharacters.escaped(repl.displayPath($0)) }))
                if let m = machine, m.openExercise == nil {
                    repl.say(screen.notice("You have done this one — Enter goes on (:edit still opens your file)."))
                }
            }
        case let .cellFailed(error, expected):
            if expected {
                repl.say(screen.notice("↑ the error this cell was written to show."))
            } else if error.kind == .interrupted {
                repl.say(screen.notice("The cell was interrupted part-way; :run runs it again (later steps may need what it makes)."))
            } else {
                repl.say(screen.notice("This cell failed (\(error.message)). If you changed a variable it uses, :restart runs the lesson afresh."))
            }
        case .cellUnexpectedlySucceeded:
            repl.say(screen.notice("This cell was meant to fail but ran — the lesson may be out of date with the engine."))
        case let .verdict(v, attempt): repl.say(screen.verdict(v, attempt: attempt))
        case let .hint(text, number, total): repl.say(screen.hint(text, number: number, total: total))
        case let .notAnAttempt(message, shown): repl.say(screen.notAnAttempt(message, shown: shown))
        case let .confirmRestart(question): restartQuestion = question
        case let .revealed(answer, explanation, created): repl.say(screen.revealed(answer: answer, explanation: explanation, created: created))
        case let .explanation(text): repl.say(screen.explanation(text))
        case let .reflected(yours, model, explanation): repl.say(screen.reflected(yours: yours, model: model, explanation: explanation))
        case let .replaying(cells):
            repl.say(screen.notice("Resuming: running the \(cells) earlier cell\(cells == 1 ? "" : "s") again to rebuild your variables…"))
        case let .replayFailed(line, message):
            repl.say(screen.notice("(a cell at line \(line) failed while rebuilding the session: \(message))"))
        case let .exerciseChecked(result, attempt): repl.say(screen.exerciseChecked(result, attempt: attempt))
        case let .exerciseSolution(code, why, passed): repl.say(screen.exerciseSolution(code: code, why: why, passed: passed))
        case let .caseLoaded(names, about, replaced): repl.say(screen.caseLoaded(names: names, about: about, replaced: replaced))
        case let .finished(score, questions, exercisesPassed, exercises, seconds):
            finishedShown = true
            repl.say("")
            repl.say(screen.finished(title: title, score: score, questions: questions, exercisesPassed: exercisesPassed,
                                     exercises: exercises, seconds: seconds))
        case let .notice(text): repl.say(screen.notice(text))
        }
    }
}
