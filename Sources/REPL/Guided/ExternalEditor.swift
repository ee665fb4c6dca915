import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
        "No text editor found: set one with `export EDITOR=nano` (or any editor you like) and start rnnlab again, or edit the file in another window and type :check, or type your def at the prompt. Your file is \(file)."
    }

    /// Opens `file` and waits until the editor closes. Returns an error message, or nil.
    ///
    /// The editor is started with `posix_spawn` in rnnlab's own process group, so it owns the
    /// terminal as rnnlab does (Foundation's `Process` starts a new session, where a terminal
    /// editor cannot read the keyboard). The file is passed as a positional parameter of the
    /// shell, never spliced into the command text, so any path reaches the editor whole.
    func edit(_ file: URL) -> String? {
        let arguments = ["/bin/sh", "-c", command + " \"$1\"", "rnnlab-edit", file.path]
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }
        fflush(nil)
        var pid: pid_t = 0
        let started = posix_spawn(&pid, "/bin/sh", nil, nil, &argv, environ)
        guard started == 0 else { return "could not start the editor (\(command)): \(String(cString: strerror(started)))" }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        // Exited normally with 127: the shell did not find the command.
        if status & 0x7f == 0, (status >> 8) & 0xff == 127 {
            return "the editor command `\(command)` was not found: set $EDITOR to an editor you have"
        }
        return nil
    }
}
