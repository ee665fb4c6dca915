import Engine
import Foundation
import Script
import Terminal

/// `:export FILE.md` / `:export FILE.ipynb`, and the recording behind it: everything the session
/// writes while an input runs goes into `transcript` as plain text as well as to the screen.
extension Session {
    /// Standard output, also recorded (without colour) for the input that is running.
    func write(_ text: String) {
        rawWrite(text)
        transcript.record(.stdout(ANSI.strip(text)))
    }

    /// Error reports, also recorded (without colour).
    func writeError(_ text: String) {
        rawWriteError(text)
        transcript.record(.stderr(ANSI.strip(text)))
    }

    /// Records a value as export draws it: no colour, `Transcript.renderWidth` columns, the
    /// session's precision — so a picture in the notebook does not depend on the terminal.
    func recordValue(_ value: Value, as kind: (String) -> Transcript.Output) {
        var plain = options
        plain.color = false
        plain.width = Transcript.renderWidth
        if let text = ValuePrinter(options: plain).render(value) { transcript.record(kind(text + "\n")) }
    }

    /// Inputs that become cells: everything but `:export` itself and `:quit`.
    static func isRecorded(_ input: String) -> Bool {
        guard input.hasPrefix(":") else { return true }
        let name = String(input.dropFirst().prefix { !$0.isWhitespace })
        let resolved = aliases[name] ?? name
        // The command `command(_:)` will run: an exact name, else a unique prefix.
        let prefixed = commands.filter { !name.isEmpty && $0.name.hasPrefix(name) }
        let command = commands.first { $0.name == resolved } ?? (prefixed.count == 1 ? prefixed[0] : nil)
        return !["export", "quit"].contains(command?.name ?? "")
    }

    func exportCommand(_ argument: String) -> Outcome {
        guard !argument.isEmpty else {
            return fail(":export needs a file name ending in .md or .ipynb, e.g. :export session.ipynb")
        }
        let path = Session.expandTilde(Session.unquote(argument))
        let cells = transcript.cells.count
        let text: String
        switch URL(fileURLWithPath: path).pathExtension.lowercased() {
        case "md", "markdown": text = MarkdownExport.render(transcript)
        case "ipynb":
            do { text = try NotebookExport.render(transcript) } catch {
                return fail(":export: could not encode the notebook: \(error)")
            }
        default:
            return fail(":export: \(path) should end in .md (markdown) or .ipynb (Jupyter notebook)")
        }
        if let problem = Session.unwritableReason(path) { return fail(":export: cannot write \(path): \(problem)") }
        // Atomic, through a symbolic link to its file, never over a device or FIFO.
        do { try SafeFile.write(Data(text.utf8), to: path) } catch {
            return fail(":export: cannot write \(path): \(error.reason)")
        }
        write("exported \(cells) cell\(cells == 1 ? "" : "s") to \(path)\n")
        return .success
    }

    /// Why `path` cannot be written, checked up front so the message names the cause (Foundation's
    /// own errors on Linux say little more than "the operation could not be completed").
    static func unwritableReason(_ path: String) -> String? {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        if manager.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            return "it is a directory"
        }
        let parent = URL(fileURLWithPath: path).deletingLastPathComponent().path
        guard manager.fileExists(atPath: parent, isDirectory: &isDirectory) else { return "no directory \(parent)" }
        guard isDirectory.boolValue else { return "\(parent) is not a directory" }
        guard manager.isWritableFile(atPath: parent) else { return "no permission to write in \(parent)" }
        return nil
    }
}
