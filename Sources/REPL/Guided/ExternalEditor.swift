import Foundation

/// The learner's text editor, for `:edit`: `$VISUAL`, then `$EDITOR` (either may hold arguments,
/// `code --wait`), then the first plain editor found on the PATH. It runs on the terminal rnnlab
/// runs on, and rnnlab waits for it to close.
struct ExternalEditor {
    /// Editors tried, in order, when neither variable is set: Debian's `editor` alternative first.
    static let fallbacks = ["editor", "nano", "vim", "vi", "micro", "emacs"]

    let command: String

    /// The editor to use, or nil when there is none.
    static func find(environment: [String: String] = ProcessInfo.processInfo.environment) -> ExternalEditor? {
        for key in ["VISUAL", "EDITOR"] {
            if let value = environment[key]?.trimmingCharacters(in: .whitespaces), !value.isEmpty { return ExternalEditor(command: value) }
        }
        let path = (environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map(String.init)
        for name in fallbacks {
            for dir in path where FileManager.default.isExecutableFile(atPath: dir + "/" + name) {
                return ExternalEditor(command: name == "emacs" ? "emacs -nw" : name)
            }
        }
        return nil
    }

    /// What to say when there is no editor.
    static func noEditorMessage(file: String) -> String {
        "No text editor found: set one with `export EDITOR=nano` (or any editor you like) and start rnnlab again, or type your def at the prompt. Your file is \(file)."
    }

    /// Opens `file` and waits until the editor closes. Returns an error message, or nil.
    func edit(_ file: URL) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        // The file is passed as a positional parameter, never spliced into the command text.
        process.arguments = ["-c", command + " \"$1\"", "rnnlab-edit", file.path]
        process.standardInput = FileHandle.standardInput
        process.standardOutput = FileHandle.standardOutput
        process.standardError = FileHandle.standardError
        do { try process.run() } catch { return "could not start the editor (\(command)): \(error.localizedDescription)" }
        process.waitUntilExit()
        if process.terminationReason == .exit, process.terminationStatus == 127 {
            return "the editor command `\(command)` was not found: set $EDITOR to an editor you have"
        }
        return nil
    }
}
