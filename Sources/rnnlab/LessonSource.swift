import Engine
import Foundation
import Script

/// Where the lessons rnnlab opens come from: the bundled ones, or the folder the learner named.
///
/// A lesson runs code, so which lessons run must never depend on where rnnlab happens to be
/// started: a `Lessons/` folder in the current directory (a download, a stranger's repository) is
/// not picked up. The bundled lessons are `Lessons/` of the rnnlab repository the executable was
/// built in (`.build/release/rnnlab` → the repository), or of `$RNNLAB_HOME`. Any other folder is
/// used only when given with `--lessons DIR`, and a one-line notice then says so.
struct LessonSource {
    let directory: URL
    /// True when `directory` is the bundled lessons (also when `--lessons` names them).
    let isBundled: Bool

    /// The notice to print before using lessons that are not the bundled ones; nil for the bundled.
    var notice: String? {
        isBundled ? nil : "Lessons from \(FileAccessPolicy.shown(directory.path)) (not the bundled lessons)."
    }

    /// `--lessons DIR` when given (nil when it is not a directory), else the bundled lessons (nil
    /// when rnnlab was installed without them).
    static func resolve(_ option: String?) -> LessonSource? {
        let bundled = bundledDirectory()
        guard let option else { return bundled.map { LessonSource(directory: $0, isBundled: true) } }
        let url = FileAccessPolicy.plainURL(option)
        guard isDirectory(url) else { return nil }
        let same = bundled.map { FileAccessPolicy.canonical($0.path) == FileAccessPolicy.canonical(url.path) } ?? false
        return LessonSource(directory: url, isBundled: same)
    }

    /// `Lessons/` in `$RNNLAB_HOME`, else in the repository the executable was built in (a parent
    /// of it holding `Package.swift`). Never the current directory.
    static func bundledDirectory() -> URL? {
        if let home = ProcessInfo.processInfo.environment["RNNLAB_HOME"], !home.isEmpty {
            let candidate = URL(fileURLWithPath: home).appendingPathComponent("Lessons")
            if isDirectory(candidate) { return candidate }
        }
        // The running executable itself (/proc/self/exe), not argv[0], which may be a bare name.
        let executable = Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])
        var dir = executable.resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<6 {
            let candidate = dir.appendingPathComponent("Lessons")
            if isDirectory(candidate), FileManager.default.fileExists(atPath: dir.appendingPathComponent("Package.swift").path) {
                return candidate
            }
            dir = dir.deletingLastPathComponent()
        }
        return nil
    }

    static func isDirectory(_ url: URL) -> Bool {
        var d: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &d) && d.boolValue
    }

    /// The error when `resolve` finds nothing, for `rnnlab: …` on stderr.
    static func missing(_ option: String?) -> String {
        if let option { return "--lessons \(ControlCharacters.escaped(option)) is not a directory" }
        return "the bundled lessons are not installed (no Lessons/ next to the executable or in $RNNLAB_HOME); use --lessons DIR"
    }
}
