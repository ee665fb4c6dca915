import Foundation
import Script

/// The file-access policies a lesson's code runs under, in guided mode and in `rnnlab check`
/// alike (both walk the lesson with `GuidedLesson`, which applies them).
///
/// A lesson may come from a stranger, so its code — visible cells, hidden setup cells, answer
/// keys and checks — reads only its own folder and rnnlab's `Datasets/`, and writes only its
/// scratch folder, `<data dir>/rnnlab/scratch/NN-id/`. Answer keys and checks are meant to be
/// pure: they may read as cells do but write nothing, so a key with a side effect fails check.
/// What the learner types at the prompt is theirs and is never confined.
public struct LessonSandbox: Sendable {
    /// For the lesson's cells (and setup cells).
    public var cells: FileAccessPolicy
    /// For answer keys, `check:` expressions and the binding of an answer to its `assign:` name.
    public var keys: FileAccessPolicy

    public init(cells: FileAccessPolicy, keys: FileAccessPolicy) {
        self.cells = cells
        self.keys = keys
    }

    /// The sandbox of `lesson`, its scratch folder under `dataDirectory` (rnnlab's folder in the
    /// user's data dir, where progress is kept).
    public init(lesson: Lesson, dataDirectory: URL = ProgressStore.dataDirectory()) {
        let scratch = LessonSandbox.scratchFolder(for: lesson.meta, in: dataDirectory)
        let homes = Interpreter.dataRoots
        let datasets = homes.map { $0.appendingPathComponent("Datasets", isDirectory: true) }
            .filter { FileManager.default.fileExists(atPath: $0.path) }
        let own = lesson.folder.map { [$0] } ?? []
        // A relative path is the lesson's own file first (scratch, then its folder), then
        // "Datasets/…" as every lesson writes it — never a file of the current directory.
        let bases = [scratch] + own + homes
        cells = .lesson(LessonFileAccess(readRoots: own + datasets, writeRoot: scratch, relativeBases: bases, role: "a lesson"))
        // Keys cannot write, so there is nothing of theirs in scratch to read back — but what the
        // cells wrote there is part of the lesson's state.
        keys = .lesson(LessonFileAccess(readRoots: own + datasets + [scratch], writeRoot: nil, relativeBases: bases,
                                        role: "an answer key"))
    }

    /// `<dataDirectory>/scratch/NN-id`: one folder per lesson, so lessons cannot see each other's files
    /// (moved from an earlier `MM-id` when the lesson's order changed).
    public static func scratchFolder(for meta: LessonMeta, in dataDirectory: URL) -> URL {
        LessonFolder.url(for: meta, under: dataDirectory.appendingPathComponent("scratch", isDirectory: true))
    }
}
