import Engine
import Foundation
import Terminal
import Tutorial

/// The lesson menu: what `rnnlab` opens with. Numbered lessons with their minutes and the
/// learner's progress, Enter to continue where they left off.
extension GuidedREPL {
    /// Runs the menu until `q`, `:quit` or the end of input; `first` (a number or id from
    /// `rnnlab lesson N`) opens that lesson straight away. Returns the exit status.
    public func runMenu(opening first: String? = nil) -> Int32 {
        var pending = first
        while true {
            let (lessons, problems) = loadLessons()
            let choice: String
            if let p = pending {
                choice = p
                pending = nil
            } else {
                say(menuText(lessons, problems: problems))
                switch source.read(prompt: "menu> ") {
                case .endOfInput: say(""); source.save(); return 0
                case .interrupted: say(""); continue
                case let .line(line): choice = line.trimmingCharacters(in: .whitespaces)
                }
            }
            let lower = choice.lowercased()
            if ["q", ":q", "quit", ":quit", "exit", ":exit"].contains(lower) { source.save(); return 0 }
            if ["p", ":p", "prompt", "repl", ":repl"].contains(lower) {
                if freePrompt() == .quit { source.save(); return 0 }
                continue
            }
            if lower == ":progress" || lower == "progress" {
                say(ProgressSummary.text(lessons: lessons.map(\.meta), progress: progress, options: screen.options))
                continue
            }
            let target: Lesson?
            if choice.isEmpty {
                target = continuation(lessons)
            } else {
                target = lessons.first { l in
                    l.meta.id == lower || Int(choice) == l.meta.order || String(format: "%02ld-%@", l.meta.order, l.meta.id) == lower
                }
                if target == nil {
                    say(screen.notice("No lesson “\(choice)” — type its number (1–\(lessons.map(\.meta.order).max() ?? 0)) or id, p for the free prompt, q to quit."))
                    continue
                }
            }
            guard let lesson = target else { continue }
            if run(lesson) == .quit { source.save(); return 0 }
        }
    }

    /// The lesson Enter opens: the one left unfinished last, else the first not finished.
    func continuation(_ lessons: [Lesson]) -> Lesson? {
        if let last = progress.last, let l = lessons.first(where: { $0.meta.id == last }),
           progress.lessons[last]?.isFinished != true { return l }
        return lessons.first { progress.lessons[$0.meta.id]?.isFinished != true } ?? lessons.first
    }

    func loadLessons() -> (lessons: [Lesson], problems: [String]) {
        let files: [URL]
        do { files = try LessonLibrary.files(in: lessonsDirectory) } catch {
            return ([], ["cannot list \(lessonsDirectory.path): \(error.localizedDescription)"])  // escaped where shown
        }
        var lessons: [Lesson] = [], problems: [String] = []
        for f in files {
            do { lessons.append(try LessonLibrary.load(f, displayName: f.lastPathComponent)) } catch { problems.append(error.description) }
        }
        return (lessons.sorted { $0.meta.order < $1.meta.order }, problems)
    }

    func menuText(_ lessons: [Lesson], problems: [String]) -> String {
        let s = screen
        let color = s.options.color
        let titleWidth = min(40, max(10, lessons.map { ControlCharacters.escaped($0.meta.title).count }.max() ?? 10))
        var lines = ["", ANSI.style("rnnlab — learn recurrent neural networks by running them", ANSI.bold, enabled: color), ""]
        let next = continuation(lessons)
        for l in lessons {
            let full = ControlCharacters.escaped(l.meta.title)  // a lesson file's text, shown inert
            let title = full.count > titleWidth ? String(full.prefix(titleWidth - 1)) + "…" : full
            var row = String(format: "  %2ld  ", l.meta.order) + title.padding(toLength: titleWidth, withPad: " ", startingAt: 0)
                + String(format: "  %3ld min  ", l.meta.minutes)
            if let p = progress.lessons[l.meta.id] {
                if p.isFinished {
                    row += ANSI.style("✓ done", ANSI.foreground(71), enabled: color) + " · \(p.score)/\(l.gradedQuestionCount)"
                } else if p.step > 0 {
                    row += "step \(min(p.step, p.steps)) of \(p.steps)"
                }
            }
            if l.meta.id == next?.meta.id { row += ANSI.style("  ← Enter", ANSI.dim, enabled: color) }
            lines.append(row)
        }
        if lessons.isEmpty { lines.append("  (no lessons in \(ControlCharacters.escaped(lessonsDirectory.path)))") }
        for p in problems { lines.append(ANSI.style("  ! \(ControlCharacters.escaped(p))", ANSI.foreground(203), enabled: color)) }
        lines.append("")
        let enter = next.map { "Enter: \(progress.lessons[$0.meta.id]?.step ?? 0 > 1 ? "continue" : "start") lesson \($0.meta.order) · " } ?? ""
        lines.append(ANSI.style(enter + "a number opens a lesson · p: the free prompt · progress · q: quit", ANSI.dim, enabled: color))
        return lines.joined(separator: "\n")
    }

    /// The free prompt inside the menu's loop (same line source): `:menu` returns.
    func freePrompt() -> Exit {
        let session = Session(options: options, numbered: true, write: write, writeError: writeError)
        activeSession = session
        say(screen.notice("The free prompt: any expression, :help for commands, :menu for the lessons."))
        var buffer = ""
        while true {
            switch source.read(prompt: buffer.isEmpty ? InteractiveREPL.prompt : InteractiveREPL.continuationPrompt) {
            case .endOfInput: say(""); return .quit
            case .interrupted: say(""); buffer = ""; continue
            case let .line(line):
                source.remember(line)
                buffer += buffer.isEmpty ? line : "\n" + line
            }
            guard session.isComplete(buffer) else { continue }
            let input = buffer
            buffer = ""
            let t = input.trimmingCharacters(in: .whitespaces)
            if t == ":menu" || t == ":m" { return .menu }
            session.options.width = screen.options.width
            if session.submit(input) == .quit { return .quit }
        }
    }
}
