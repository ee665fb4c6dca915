import Engine
import FigureSVG
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
    /// session's precision — so a picture in the notebook does not depend on the terminal. A
    /// figure with an SVG drawing is kept with its data, for the notebook's `image/svg+xml` and
    /// the markdown export's .svg files.
    func recordValue(_ value: Value, isResult: Bool) {
        var plain = options
        plain.color = false
        plain.width = Transcript.renderWidth
        guard let text = ValuePrinter(options: plain).render(value) else { return }
        if case let .figure(figure) = value, SVGFigure.draws(figure) {
            transcript.record(.figure(text + "\n", figure, isResult: isResult))
        } else {
            transcript.record(isResult ? .result(text + "\n") : .stdout(text + "\n"))
        }
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
        var figures: (folder: String, files: [(name: String, svg: String)])?
        switch URL(fileURLWithPath: path).pathExtension.lowercased() {
        case "md", "markdown":
            // Pictures go beside the markdown in FILE_files/, as Jupyter's own markdown export does.
            let folder = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent + "_files"
            let document = MarkdownExport.document(transcript, folder: folder)
            text = document.text
            if !document.figures.isEmpty {
                figures = (URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent(folder).path, document.figures)
            }
        case "ipynb":
            do { text = try NotebookExport.render(transcript) } catch {
                return fail(":export: could not encode the notebook: \(error)")
            }
        default:
            return fail(":export: \(path) should end in .md (markdown) or .ipynb (Jupyter notebook)")
        }
        if let problem = Session.unwritableReason(path) { return fail(":export: cannot write \(path): \(problem)") }
        if let figures {
            if let problem = Session.writeFigures(figures.files, into: figures.folder) {
                return fail(":export: cannot write the pictures in \(figures.folder): \(problem); nothing was exported")
            }
        }
        // Atomic, through a symbolic link to its file, never over a device or FIFO.
        do { try SafeFile.write(Data(text.utf8), to: path) } catch {
            return fail(":export: cannot write \(path): \(error.reason)")
        }
        let pictures = figures.map { " and \($0.files.count) picture\($0.files.count == 1 ? "" : "s") to \($0.folder)" } ?? ""
        write("exported \(cells) cell\(cells == 1 ? "" : "s") to \(path)\(pictures)\n")
        return .success
    }

    /// Writes each SVG file into `folder` (made if missing), each replaced in one step; nil when
    /// all were written, else why not.
    static func writeFigures(_ files: [(name: String, svg: String)], into folder: String) -> String? {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        if manager.fileExists(atPath: folder, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { return "it is a file, not a folder" }
        } else {
            do { try manager.createDirectory(atPath: folder, withIntermediateDirectories: false) } catch {
                return "the folder could not be made"
            }
        }
        for file in files {
            do throws(FileAccessError) { try SafeFile.write(Data(file.svg.utf8), to: folder + "/" + file.name) } catch {
                return "\(file.name) \(error.reason)"
            }
        }
        return nil
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
