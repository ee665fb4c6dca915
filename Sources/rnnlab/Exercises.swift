import ArgumentParser
import Engine
import Foundation
import REPL
import Script
import Terminal
import Tutorial

/// `rnnlab exercise [LESSON [FUNCTION]]`: the exercises and the learner's files, and a check of
/// one file from the command line — so a learner can write in any editor or IDE and check there.
struct ExerciseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exercise",
        abstract: "List the lessons' exercises, or check your file for one (rnnlab exercise 7 lstm_step).",
        discussion: """
            Each exercise asks you to write a function; your code is kept in ${XDG_DATA_HOME:-~/.local/share}/rnnlab/exercises/NN-lesson/FUNCTION.rnn (made from the template the first time). In a lesson, type the def at the prompt or use :edit. Here, `rnnlab exercise LESSON FUNCTION` checks the file as saved, records the result in your progress, and exits with 0 when it passes, 1 when it does not.
            """)

    @Argument(help: "The lesson: its number (7) or id (lstm); without it, every lesson's exercises.")
    var lesson: String?

    @Argument(help: "The exercise's function (lstm_step): checks your file for it.")
    var function: String?

    @Option(name: .customLong("lessons"), help: ArgumentHelp("Lessons from DIR instead of the bundled ones.", valueName: "DIR"))
    var directory: String?

    @Flag(name: .customLong("no-color"), help: "No colour.")
    var noColor = false

    func run() throws {
        guard let source = LessonSource.resolve(directory) else {
            Streams.err("rnnlab: \(LessonSource.missing(directory))\n")
            throw ExitCode(1)
        }
        if let notice = source.notice { Streams.err(notice + "\n") }
        let all = (try? LessonLibrary.files(in: source.directory)) ?? []
        var files = all
        if let lesson {
            let (picked, unknown) = LessonLibrary.select([lesson], from: all)
            guard unknown.isEmpty, !picked.isEmpty else {
                Streams.err("rnnlab: no lesson \(ControlCharacters.escaped(lesson)) (give its number or id)\n")
                throw ExitCode(1)
            }
            files = picked
        }
        let store = ProgressStore(url: ProgressStore.defaultURL())
        var (progress, notice) = store.load()
        if let notice { Streams.err(ControlCharacters.escaped(notice) + "\n") }
        let data = store.url.deletingLastPathComponent()
        var lessons: [Lesson] = []
        for url in files {
            do { lessons.append(try LessonLibrary.load(url)) } catch {
                Streams.err("rnnlab: \(ControlCharacters.escaped(error.description))\n")
                throw ExitCode(1)
            }
        }
        guard let function else {
            list(lessons, progress: progress, data: data)
            return
        }
        guard let lesson = lessons.first, let index = lesson.exercises.firstIndex(where: { $0.function == function }) else {
            let names = lessons.first?.exercises.map(\.function) ?? []
            Streams.err("rnnlab: lesson \(ControlCharacters.escaped(self.lesson ?? "")) has no exercise \(ControlCharacters.escaped(function))"
                        + (names.isEmpty ? " (it has none)" : " (its exercises: \(names.joined(separator: ", ")))") + "\n")
            throw ExitCode(1)
        }
        let exercise = lesson.exercises[index]
        let existed = FileManager.default.fileExists(atPath: ExerciseFiles.file(for: exercise, of: lesson.meta, in: data).path)
        let url = try ExerciseFiles.ensure(exercise, of: lesson.meta, in: data)
        if !existed {
            Streams.out("Made \(ControlCharacters.escaped(FileAccessPolicy.shown(url.path))) from the template: write \(exercise.function) there, save it, and run this again.\n")
            throw ExitCode(1)
        }
        let text = try String(contentsOf: url, encoding: .utf8)
        let options = RenderOptions.current(noColorFlag: noColor)
        let bench: ExerciseBench
        do { bench = try ExerciseBench(exercise, access: LessonSandbox(lesson: lesson, dataDirectory: data).keys) } catch {
            Streams.err("rnnlab: this exercise cannot be checked: \(error.message)\n")
            throw ExitCode(1)
        }
        Streams.out("Checking \(ControlCharacters.escaped(FileAccessPolicy.shown(url.path))) (\(bench.signature)) on \(exercise.count) cases…\n")
        let result = bench.check(source: text, file: FileAccessPolicy.shown(url.path), in: Interpreter())
        Streams.out(ExerciseText.verdict(result, options: options) + "\n")
        if result.kind != .lessonProblem && result.kind != .interrupted {
            var p = progress.lessons[lesson.meta.id] ?? LessonProgress(steps: GuidedStep.steps(of: lesson).count)
            let key = LessonProgress.exerciseKey(index)
            var record = p.answers[key] ?? QuestionRecord()
            record.attempts += 1
            record.lastAnswer = text
            if result.passed { record.correct = true }
            record.lastPassed = result.passed
            p.answers[key] = record
            p.updated = Date()
            progress.lessons[lesson.meta.id] = p
            do { try store.save(progress) } catch { Streams.err("rnnlab: progress not saved: \(ControlCharacters.escaped("\(error)"))\n") }
        }
        if result.passed {
            Streams.out(ExerciseText.solution(exercise, passed: true, options: options) + "\n")
            return
        }
        if let c = result.failingCase {
            // The case, small and reproducible: its arguments by the function's parameter names.
            Streams.out("The case's arguments (in the lesson, :case loads them as variables):\n")
            for (name, value) in zip(bench.parameters, c.arguments) {
                Streams.out("  \(name) = \(ControlCharacters.escaped(value.description).replacingOccurrences(of: "\n", with: "\n    "))\n")
            }
        }
        throw ExitCode(1)
    }

    func list(_ lessons: [Lesson], progress: ProgressFile, data: URL) {
        var any = false
        for lesson in lessons where !lesson.exercises.isEmpty {
            any = true
            let stem = String(format: "%02ld-%@", lesson.meta.order, lesson.meta.id)
            Streams.out("\(stem)  \(ControlCharacters.escaped(lesson.meta.title))\n")
            for (k, e) in lesson.exercises.enumerated() {
                let record = progress.lessons[lesson.meta.id]?.answers[LessonProgress.exerciseKey(k)]
                let status = record.map { r in
                    r.correct && !r.revealed ? (r.lastPassed == false ? "passed earlier, the last check failed" : "passed")
                        : r.revealed ? "solution shown" : "\(r.attempts) tr\(r.attempts == 1 ? "y" : "ies")"
                } ?? "not started"
                let url = ExerciseFiles.file(for: e, of: lesson.meta, in: data)
                let file = FileManager.default.fileExists(atPath: url.path) ? FileAccessPolicy.shown(url.path) : "(no file yet)"
                Streams.out("  \(e.function)  \(status)  \(ControlCharacters.escaped(file))\n")
            }
        }
        if !any { Streams.out(lessons.count == 1 ? "This lesson has no exercises.\n" : "No lesson has exercises.\n") }
    }
}
