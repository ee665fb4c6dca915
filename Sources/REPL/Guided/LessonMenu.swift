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
                case .endOfInput: say(""); return leave()
                case .interrupted: say(""); continue
                case let .line(line): choice = line.trimmingCharacters(in: .whitespaces)
                }
            }
            let lower = choice.lowercased()
            if ["q", ":q", "quit", ":quit", "exit", ":exit"].contains(lower) { return leave() }
            if ["p", ":p", "prompt", "repl", ":repl"].contains(lower) {
                if freePrompt() == .quit { return leave() }
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
            if run(lesson) == .quit { return leave() }
        }
    }

    /// Saves the history and says where progress and history are kept, then the exit status.
    func leave() -> Int32 {
        source.save()
        if let text = GuidedREPL.farewell(progress: saveFailureShown ? nil : store?.url.path, history: source.historyPath) {
            // A path is not prose: wrapped at spaces, not read as markdown.
            say(ANSI.style(WordWrap.wrap(ControlCharacters.escaped(text), width: screen.options.width), ANSI.dim, enabled: options.color))
        }
        return 0
    }

    /// "Your progress is saved in …; your history in …." — nil when neither is kept.
    static func farewell(progress: String?, history: String?) -> String? {
        switch (progress, history) {
        case let (p?, h?): return "Your progress is saved in \(p); your prompt history in \(h)."
        case let (p?, nil): return "Your progress is saved in \(p)."
        case let (nil, h?): return "Your prompt history is saved in \(h)."
        case (nil, nil): return nil
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
        var lines = ["", ANSI.style("rnnlab — learn recurrent neural networks by running them", ANSI.bold, enabled: color), ""]
        let next = continuation(lessons)
        // Each row's status, plain (to measure) and styled.
        let statuses = lessons.map { l -> (plain: String, styled: String) in
            var plain = "", styled = ""
            if let p = progress.lessons[l.meta.id] {
                if p.isFinished {
                    plain = "✓ done · \(p.score)/\(l.gradedQuestionCount)"
                    styled = ANSI.style("✓ done", ANSI.foreground(71), enabled: color) + " · \(p.score)/\(l.gradedQuestionCount)"
                } else if p.step > 0 {
                    plain = "step \(min(p.step, p.steps)) of \(p.steps)"
                    styled = plain
                }
            }
            if l.meta.id == next?.meta.id {
                plain += "  ← Enter"
                styled += ANSI.style("  ← Enter", ANSI.dim, enabled: color)
            }
            return (plain, styled)
        }
        let longest = lessons.map { ControlCharacters.escaped($0.meta.title).count }.max() ?? 10
        // "  NN  " + title + "  MMM min  " + status: titles are kept whole where the screen allows;
        // a status that does not fit beside its row goes under the title.
        let titleWidth = max(16, min(40, max(10, longest), s.options.width - 6 - 11))
        for (l, status) in zip(lessons, statuses) {
            let full = ControlCharacters.escaped(l.meta.title)  // a lesson file's text, shown inert
            let title = full.count > titleWidth ? String(full.prefix(titleWidth - 1)) + "…" : full
            let row = String(format: "  %2ld  ", l.meta.order) + title.padding(toLength: titleWidth, withPad: " ", startingAt: 0)
                + String(format: "  %3ld min  ", l.meta.minutes)
            if row.count + status.plain.count <= s.options.width || status.plain.isEmpty {
                lines.append(row + status.styled)
            } else {
                // Still too narrow: the status goes under the title.
                lines.append(String(row.reversed().drop { $0 == " " }.reversed()))
                lines.append("      " + status.styled.drop { $0 == " " })
            }
        }
        if lessons.isEmpty { lines.append("  (no lessons in \(ControlCharacters.escaped(lessonsDirectory.path)))") }
        for p in problems { lines.append(ANSI.style("  ! \(ControlCharacters.escaped(p))", ANSI.foreground(203), enabled: color)) }
        lines.append("")
        let enter = next.map { "Enter: \(progress.lessons[$0.meta.id]?.step ?? 0 > 1 ? "continue" : "start") lesson \($0.meta.order) · " } ?? ""
        let footer = GuidedREPL.joinWrapped(enter.isEmpty ? Self.menuKeys : [String(enter.dropLast(3))] + Self.menuKeys, width: s.options.width)
        lines.append(ANSI.style(footer, ANSI.dim, enabled: color))
        return lines.joined(separator: "\n")
    }

    static let menuKeys = ["a number opens a lesson", "p: the free prompt", "progress", "q: quit"]

    /// Items joined by " · ", a line broken between two items where the screen ends (and at
    /// spaces inside an item too long for a line of its own).
    static func joinWrapped(_ items: [String], width: Int) -> String {
        var lines: [String] = [], line = ""
        for item in items {
            if line.isEmpty {
                line = item
            } else if line.count + 3 + item.count <= width {
                line += " · " + item
            } else {
                lines.append(line)
                line = item
            }
        }
        lines.append(line)
        return lines.map { WordWrap.wrap($0, width: width) }.joined(separator: "\n")
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
                buffer += buffer.isEmpty ? line : "\n" + line
            }
            guard session.isComplete(buffer) else { continue }
            source.remember(buffer)
            let input = buffer
            buffer = ""
            let t = input.trimmingCharacters(in: .whitespaces)
            if t == ":menu" || t == ":m" { return .menu }
            session.options.width = screen.options.width
            if session.submit(input) == .quit { return .quit }
        }
    }
}
