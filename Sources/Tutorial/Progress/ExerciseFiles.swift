import Foundation

/// Where a learner's exercise code is kept: one file per exercise,
/// `<data dir>/rnnlab/exercises/NN-id/FUNCTION.rnn`, beside the progress file. It starts as the
/// template; `:edit` opens it, and a def typed at the prompt is saved to it too, so work is never
/// lost when rnnlab stops.
public enum ExerciseFiles {
    public static func folder(for meta: LessonMeta, in dataDirectory: URL) -> URL {
        LessonFolder.url(for: meta, under: dataDirectory.appendingPathComponent("exercises", isDirectory: true))
    }

    public static func file(for exercise: Exercise, of meta: LessonMeta, in dataDirectory: URL) -> URL {
        folder(for: meta, in: dataDirectory).appendingPathComponent(exercise.function + ".rnn")
    }

    /// The file, made from the template when it does not exist yet.
    public static func ensure(_ exercise: Exercise, of meta: LessonMeta, in dataDirectory: URL) throws -> URL {
        let url = file(for: exercise, of: meta, in: dataDirectory)
        if !FileManager.default.fileExists(atPath: url.path) {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(template(exercise).utf8).write(to: url, options: .atomic)
        }
        return url
    }

    /// Saves code the learner wrote (typed at the prompt) over the file. What the file held
    /// before — work done in an editor, say — is kept beside it as `FUNCTION.previous.rnn`, unless
    /// it was the untouched template.
    public static func save(_ code: String, for exercise: Exercise, of meta: LessonMeta, in dataDirectory: URL) throws {
        let url = file(for: exercise, of: meta, in: dataDirectory)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let text = code.hasSuffix("\n") ? code : code + "\n"
        if let old = try? String(contentsOf: url, encoding: .utf8), old != text, old != template(exercise) {
            try Data(old.utf8).write(to: previous(for: exercise, of: meta, in: dataDirectory), options: .atomic)
        }
        try Data(text.utf8).write(to: url, options: .atomic)
    }

    /// Where the file's earlier content is kept when a def typed at the prompt replaces it.
    public static func previous(for exercise: Exercise, of meta: LessonMeta, in dataDirectory: URL) -> URL {
        folder(for: meta, in: dataDirectory).appendingPathComponent(exercise.function + ".previous.rnn")
    }

    /// The template as a file: a comment saying what to do, then the code.
    public static func template(_ e: Exercise) -> String {
        let task = e.prompt.split(separator: "\n").map { "# " + $0 }.joined(separator: "\n")
        return "# Exercise: write \(e.function). It returns \(e.returnsText).\n" + task
            + "\n# Save and close the editor to check it.\n\n" + e.template.trimmingCharacters(in: .newlines) + "\n"
    }
}
